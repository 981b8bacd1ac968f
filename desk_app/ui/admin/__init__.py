"""Administration screens: policy editors and people, for administrators."""
