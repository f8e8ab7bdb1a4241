"""Go behaviour calicoctl's output and libcalico-go's storage depend on, each in one module.

* :mod:`.strconv`: ``ParseInt``/``ParseUint``/``ParseFloat``/``ParseBool``, ``FormatFloat``,
  ``Quote``, with Go's error texts;
* :mod:`.fmt`: ``%v`` and ``%.Ng``;
* :mod:`.json`: ``encoding/json`` (``Marshal``, ``MarshalIndent``) and libcalico-go's jsoniter;
* :mod:`.yaml`: go-yaml v2 scalar resolution and sigs.k8s.io/yaml's YAML-to-JSON texts (no PyYAML);
* :mod:`.yaml_load`: the one YAML reader (manifests, calicoctl.cfg, kubeconfigs), hardened: alias
  budget, depth and size caps, no recursion (on libyaml's events);
* :mod:`.yaml_print`: sigs.k8s.io/yaml ``Marshal`` (go-yaml v2's printing, on libyaml's emitter);
* :mod:`.tabwriter`: ``text/tabwriter``.

Pure functions, standard library only (and PyYAML's libyaml bindings for go-yaml v2 reading and printing); every
module has parity tests built from Go's own test tables (``tests/test_go_*.py``).  Nothing else
in calicopy parses or formats numbers, JSON or YAML the Go way: it calls these.
"""
