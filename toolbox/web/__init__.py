"""The Flask shell: blueprints per tool, the API, and the security plumbing around them."""
