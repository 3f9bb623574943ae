"""Spanish as written in Los Angeles: the words are Spanish, the numbers and dates read as on every other
document families and partners get here (14,150 students; $1,234.56; 2026-11-22), and forms take the same."""

DATE_FORMAT = "j \\d\\e F \\d\\e Y"
SHORT_DATE_FORMAT = "Y-m-d"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]
