"""Go behaviour calicoctl's output and libcalico-go's storage depend on, each in one module.

Pure functions, standard library only (and PyYAML's C emitter for go-yaml v2 printing); every
module has parity tests against Go's documented outputs.  Nothing else in calicopy formats
numbers, JSON or YAML the Go way: it calls these.
"""
