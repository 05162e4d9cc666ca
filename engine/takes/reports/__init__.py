"""Reports for supervisors: the weekly system-prompt review (what was reviewed this week,
per target, model and system-prompt version), exported as HTML, CSV or JSON."""
