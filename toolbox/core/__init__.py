"""Pure logic of every tool: plain values in, frozen dataclasses out; no web framework."""
