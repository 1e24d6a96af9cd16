"""The appointments app's HTTP views: appointments themselves, a doctor's schedule as booking sees
it (the doctors list, free slots, time off), and calendars."""
