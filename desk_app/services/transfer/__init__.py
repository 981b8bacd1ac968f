"""Import and export: lossless JSON, CSV, and ServiceNow incident exports."""
