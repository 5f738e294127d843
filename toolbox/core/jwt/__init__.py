"""The JWT tool's core: decode, verify, audit and encode tokens (no web framework here)."""
