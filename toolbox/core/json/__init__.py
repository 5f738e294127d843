"""The JSON tool's core: strict exact parsing and formatting, and JSON Schema validation."""
