"""Analysis: Document in, Analysis out; a pure function over the loaded models."""
