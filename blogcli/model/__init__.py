"""The post model: documents with front matter, dates, slugs and statuses."""
