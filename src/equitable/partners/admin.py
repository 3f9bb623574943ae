from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from equitable.partners import models

for _model in (models.FocusArea, models.Partner, models.PartnerPerson, models.NeedsAssessment, models.SchoolNeed,
               models.Agreement, models.ClearanceRequirement, models.ClearanceTier, models.ClearanceCheck,
               models.CampusApproval, models.Convening, models.ConveningAttendance, models.PartnerSurvey,
               models.Measure):
    admin.site.register(_model, SimpleHistoryAdmin)
