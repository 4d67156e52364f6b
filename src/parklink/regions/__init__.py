"""Administrative regions (GB/T 2260) loaded from the table cpca ships."""
