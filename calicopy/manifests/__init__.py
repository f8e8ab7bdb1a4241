"""Read and write manifests the way calicoctl does (``calicoctl create -f``, ``get -o yaml|json``).

Reading (:func:`load`, :func:`loads`, :func:`load_all`, :func:`loads_all`):

* the text is cut into documents on ``"\\n---"`` exactly like calicoctl's splitter
  (``calicoctl/calicoctl/util/yaml/separator.go``); each document is parsed on its own, so a
  syntax error stays in its document.  Documents are numbered from **1** in every message;
* a document is one resource, a YAML/JSON sequence of resources, or a typed list
  (``kind: IPPoolList`` with ``items``); empty documents are skipped;
* scalars resolve as go-yaml v2 (YAML 1.1) resolves them for ``interface{}`` targets (so
  ``10:20`` stays a string, ``yes`` is a bool, timestamps stay strings), duplicate keys are
  errors as in ``yaml.UnmarshalStrict``, and aliases are budgeted like go-yaml's
  "excessive aliasing" check;
* every resource goes through ``Model.from_dict`` (case-insensitive keys, unknown keys and
  libcalico-go validation failures rejected).

Everything is parsed and validated before anything is returned.  Every problem is a
:class:`calicopy.ManifestError` naming the source, the document, the field and the reason.

Limits (all raise ``ManifestError``): the whole input at most ``max_bytes`` (default
:data:`DEFAULT_MAX_BYTES`, 64 MiB), one document at most :data:`MAX_DOCUMENT_BYTES` (10 MiB,
calicoctl's own limit), at most ``max_documents`` documents (default
:data:`DEFAULT_MAX_DOCUMENTS`), nesting at most :data:`MAX_DEPTH` levels.

Writing (:func:`dump`): ``fmt="yaml"`` as ``calicoctl get -o yaml`` (sigs.k8s.io/yaml over
go-yaml v2: keys sorted at every level, sequences not indented under their key, strings quoted
only when they would read back as something else); ``fmt="json"`` as ``-o json`` (Go
``json.MarshalIndent`` with two spaces, struct field order, ``<``, ``>`` and ``&`` escaped,
no trailing newline).  One resource prints as that object, several as a list.

The package: :mod:`~calicopy.manifests.reading` (input, size caps, document splitting),
:mod:`~calicopy.manifests.builder` (what a manifest may be, on calicopy's one hardened YAML reader,
:mod:`calicopy._go.yaml_load`),
:mod:`~calicopy.manifests.documents` (data to resources), :mod:`~calicopy.manifests.loader`
(the reading API) and :mod:`~calicopy.manifests.dump` (output).
"""

from __future__ import annotations

from .builder import MAX_DEPTH
from .documents import CRD_V1_API_VERSION
from .dump import dump, to_go_json, to_go_yaml
from .loader import DocumentResult, ErrorMode, load, load_all, loads, loads_all
from .reading import DEFAULT_MAX_BYTES, DEFAULT_MAX_DOCUMENTS, MAX_DOCUMENT_BYTES, Source, manifest_files

__all__ = [
    "CRD_V1_API_VERSION",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DOCUMENTS",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "DocumentResult",
    "ErrorMode",
    "Source",
    "dump",
    "load",
    "load_all",
    "loads",
    "loads_all",
    "manifest_files",
    "to_go_json",
    "to_go_yaml",
]
