"""One way to write dates and times on every admin page, in the clinic's zone (the active time
zone there) with the zone named: unambiguous in every country, and the format the admin's date
and time inputs take. The API writes ISO 8601 and never reads these."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
FIRST_DAY_OF_WEEK = 1  # Monday
