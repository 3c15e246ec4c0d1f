"""Date formats for English pages in Iraq: day first, 24-hour clock, Saturday-first weeks."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 6
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# This project's own named formats, read through core.templatetags.dates (`|when:"..."`).
WEEKDAY_DATETIME_FORMAT = "l j F, H:i"
WEEKDAY_FULL_DATETIME_FORMAT = "l j F Y, H:i"
DAY_TIME_FORMAT = "j F, H:i"
