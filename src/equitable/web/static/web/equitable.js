// Small behaviours without inline scripts (the Content Security Policy forbids them).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle]");
  if (toggle) {
    var target = document.getElementById(toggle.getAttribute("data-toggle"));
    if (target) {
      var open = target.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }
  var tab = event.target.closest("[role=tab]");
  if (tab && tab.getAttribute("aria-controls")) {
    event.preventDefault();
    var list = tab.closest("[role=tablist]");
    list.querySelectorAll("[role=tab]").forEach(function (t) {
      t.setAttribute("aria-selected", t === tab ? "true" : "false");
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) { panel.hidden = t !== tab; }
    });
    history.replaceState(null, "", "#" + tab.getAttribute("aria-controls"));
  }
});
document.addEventListener("DOMContentLoaded", function () {
  if (location.hash) {
    var tab = document.querySelector('[role=tab][aria-controls="' + location.hash.slice(1) + '"]');
    if (tab) { tab.click(); }
  }
  // A select of options that belong to a school (data-school) shows only those of the school chosen in the
  // same form's "school" select; a hidden option that was selected is unselected.
  document.querySelectorAll("form select[name=school]").forEach(function (school) {
    var narrowed = school.form.querySelectorAll("option[data-school]");
    if (!narrowed.length) { return; }
    function narrow() {
      narrowed.forEach(function (option) {
        var shown = !school.value || option.getAttribute("data-school") === school.value;
        option.hidden = !shown;
        option.disabled = !shown;
        if (!shown) { option.selected = false; }
      });
    }
    school.addEventListener("change", narrow);
    narrow();
  });
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () {
      if (window.htmx) { htmx.trigger(form, "submit"); } else { form.submit(); }
    });
  });
});
