"""calicoctl's command texts as docopt reads and prints them, with calicopy's name filled in.

Each command's docopt text is both its ``-h`` output and its grammar: docopt prints the whole text
(trimmed of newlines) for ``-h`` and, for arguments it cannot match, the ``Usage:`` section with the
problem in front (``-f requires argument``) on stderr, exit code 1.  :class:`CommandDoc` gives those
texts, the options declared in the text (docopt's ``parseDefaults``) and docopt's argv errors
(:meth:`CommandDoc.argv_problem`), so that the ``calicopy`` command can answer byte for byte as
calicoctl v3.32.1 does whatever parser it uses.

calicopy's additions (``--dry-run``, ``get --watch``, ``version -o json``, the ``diff``, ``completion``
and ``demo`` commands) are described in a ``calicopy options:`` / ``calicopy commands:`` block
appended to the help only, so that calicoctl's own text and usage section stay unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from ..resources.generated.kinds import KIND_FACTS
from . import usage_groups, usage_texts
from .migrate_kinds import export_help_resources

__all__ = [
    "DATASTORE_INTRO",
    "DEFAULT_CONFIG_PATH",
    "DESCRIPTION",
    "DOCS",
    "PROGRAM",
    "VERSION_SUMMARY",
    "CommandDoc",
    "OptionSpec",
    "resource_list",
]

PROGRAM = "calicopy"
# ``commands/constants/help.go`` (also :data:`calicopy.config.DEFAULT_CONFIG_PATH`; kept here so
# that reading the texts loads no model).
DEFAULT_CONFIG_PATH = "/etc/calico/calicoctl.cfg"
# calicoctl's ``util.NameAndDescription``: the name in every text, the main text's description.
DESCRIPTION = "calicopy command line tool"
VERSION_SUMMARY = f"Run '{PROGRAM} version' to see version information."
# ``commands/constants/help.go``: printed before the usage of every command that reads a datastore.
DATASTORE_INTRO = """\
Set the Calico datastore access information in the environment variables or
supply details in a config file.

"""

# calicoctl's main text (``calicoctl.go``) without the ``node`` and ``cluster`` commands, which
# calicopy does not provide (they run on a Calico host, not against the datastore).
_MAIN = """\
Usage:
  <BINARY_NAME> [options] <command> [<args>...]

    create       Create a resource by file, directory or stdin.
    replace      Replace a resource by file, directory or stdin.
    apply        Apply a resource by file, directory or stdin.  This creates a resource
                 if it does not exist, and replaces a resource if it does exists.
    patch        Patch a preexisting resource in place.
    delete       Delete a resource identified by file, directory, stdin or resource type and
                 name.
    get          Get a resource identified by file, directory, stdin or resource type and
                 name.
    label        Add or update labels of resources.
    validate     Validate a resource by file, directory or stdin without applying it.
    ipam         IP address management.
    version      Display the version of this binary.
    datastore    Calico datastore management.

Options:
  -h --help                    Show this screen.
  -l --log-level=<level>       Set the log level (one of panic, fatal, error,
                               warn, info, debug) [default: panic]
     --context=<context>       The name of the kubeconfig context to use.
     --allow-version-mismatch  Allow client and cluster versions mismatch.

Description:
  The <DESCRIPTION> is used to manage Calico network and security
  policy, to view and manage endpoint configuration, and to manage a Calico
  node instance.

  See '<BINARY_NAME> <command> --help' to read about a specific subcommand.
"""

_VERSION = """\
Usage:
  <BINARY_NAME> version [--config=<CONFIG>] [--poll=<POLL>] [--allow-version-mismatch] [--client]

Options:
  -h --help                    Show this screen.
  -c --config=<CONFIG>         Path to the file containing connection configuration in
                               YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
     --poll=<POLL>             Poll for changes to the cluster information at a frequency specified using POLL duration
                               (e.g. 1s, 10m, 2h etc.). A value of 0 (the default) disables polling.
     --allow-version-mismatch  Allow client and cluster versions mismatch.
     --client                  Display the client version only.
 }

Description:
  Display the version of <BINARY_NAME>.
"""

_IPAM = """\
Usage:
  <BINARY_NAME> ipam <command> [<args>...]

    check            Check the integrity of the IPAM datastructures.
    release          Release a Calico assigned IP address.
    show             Show details of a Calico configuration,
                     assigned IP address, or of overall IP usage.
    split            Split the IP pool specified by the CIDR into
                     the specified number of smaller IPPools.
    configure        Configure IPAM

Options:
  -h --help      Show this screen.

Description:
  IP address management commands for Calico.

  See '<BINARY_NAME> ipam <command> --help' to read about a specific subcommand.
"""

_DATASTORE = """\
Usage:
  <BINARY_NAME> datastore <command> [<args>...]

    migrate  Migrate the contents of an etcdv3 datastore to a Kubernetes datastore.

Options:
  -h --help      Show this screen.

Description:
  Datastore specific commands for <BINARY_NAME>.

  See '<BINARY_NAME> datastore <command> --help' to read about a specific subcommand.
"""

_MIGRATE = """\
Usage:
  <BINARY_NAME> datastore migrate <command> [<args>...]

    export  Export the contents of the etcdv3 datastore to yaml.
    import  Store and convert yaml of resources into the Kubernetes datastore.
    lock    Lock the datastore to prevent changes from occurring during datastore migration.
    unlock  Unlock the datastore to allow changes once the migration is completed.

Options:
  -h --help      Show this screen.

Description:
  Migration specific commands.

  See '<BINARY_NAME> datastore migrate <command> --help' to read about a specific subcommand.
"""

# -- calicopy's own commands (docopt texts in calicoctl's style) --------------------------------------

_DIFF = """\
Usage:
  <BINARY_NAME> diff --filename=<FILENAME> [--recursive] [--skip-empty]
                 [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] [--allow-version-mismatch]
                 [--exit-code]

Examples:
  # Show what applying policy.yaml would change.
  <BINARY_NAME> diff -f ./policy.yaml

Options:
  -h --help                    Show this screen.
  -f --filename=<FILENAME>     Filename to compare with the datastore.  If set to "-" loads
                               from stdin. If filename is a directory, every .json .yaml and
                               .yml file within that directory is compared.
  -R --recursive               Process the filename specified in -f or --filename recursively.
     --skip-empty              Do not error if any files or directory specified using -f or --filename contain no
                               data.
  -c --config=<CONFIG>         Path to the file containing connection
                               configuration in YAML or JSON format.
                               [default: /etc/calico/calicoctl.cfg]
  -n --namespace=<NS>          Namespace of the resource.
     --context=<context>       The name of the kubeconfig context to use.
     --allow-version-mismatch  Allow client and cluster versions mismatch.
     --exit-code               Exit with status 2 when there are differences.

Description:
  The diff command prints, as a unified diff of YAML, what 'apply' would change
  for each resource in the files: the object stored now against the object apply
  would store (defaulted as Calico defaults it).  Nothing is written.  Metadata the
  datastore manages (uid, resourceVersion, creationTimestamp, generation) is left
  out of the comparison.
"""

_COMPLETION = """\
Usage:
  <BINARY_NAME> completion <SHELL>

Options:
  -h --help                    Show this screen.

Description:
  Print the shell completion script for bash, zsh or fish.  Commands, kinds and
  (when the datastore can be reached) resource names are completed.

    bash:  source <(<BINARY_NAME> completion bash)
    zsh:   source <(<BINARY_NAME> completion zsh)
    fish:  <BINARY_NAME> completion fish | source
"""

_DEMO = """\
Usage:
  <BINARY_NAME> demo

Options:
  -h --help                    Show this screen.

Description:
  A guided tour on an embedded fake Kubernetes API server: the commands it shows
  are run as typed, through the same code as the command line.  No cluster needed.
"""

_MAIN_EXTENSIONS = """\
calicopy commands:
    diff         Show what apply would change, as a unified diff.
    completion   Print a shell completion script.
    demo         A guided tour on an embedded fake cluster.
"""

_DRY_RUN = """\
     --dry-run                 Check the resources and print what would be done;
                               write nothing.
"""

_EXTENSIONS: Mapping[str, str] = {
    "create": "calicopy options:\n" + _DRY_RUN,
    "replace": "calicopy options:\n" + _DRY_RUN,
    "delete": "calicopy options:\n" + _DRY_RUN,
    "apply": "calicopy options:\n"
    + _DRY_RUN
    + """\
     --sequential              Apply the resources one at a time (calicoctl's way) instead
                               of checking them all first and writing them concurrently.
""",
    "get": """\
calicopy options:
  -w --watch                   After printing the resources, print each change to them
                               until interrupted (Ctrl-C).
     --watch-timeout=<SECONDS> Stop watching after this many seconds.
""",
    "version": """\
calicopy options:
  -o --output=<OUTPUT FORMAT>  Output format: text (the default) or json.
""",
    "": _MAIN_EXTENSIONS,
    "ipam show": usage_groups.IPAM_SHOW_EXTENSIONS,
}


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option as docopt reads it from an ``Options:`` line."""

    short: str  # "-f" or ""
    long: str  # "--filename" or ""
    takes_value: bool
    default: str | None = None

    @property
    def name(self) -> str:
        return self.long or self.short


_DEFAULT = re.compile(r"\[default: (.*)\]", re.IGNORECASE)
_OPTION_START = re.compile(r"\n[ \t]*(-\S+?)")


def _sections(name: str, text: str) -> list[str]:
    """docopt's ``parseSection``: each line naming ``name`` and the indented lines after it."""
    pattern = re.compile(r"^([^\n]*" + name + r"[^\n]*\n?(?:[ \t].*?(?:\n|$))*)", re.IGNORECASE | re.MULTILINE)
    return [s.strip() for s in pattern.findall(text)]


def _parse_option(description: str) -> OptionSpec:
    """docopt's ``parseOption``: ``-f --filename=<FILENAME>  text [default: x]``."""
    options, _, text = description.strip().partition("  ")
    short = long = ""
    takes_value = False
    for word in options.replace(",", " ").replace("=", " ").split():
        if word.startswith("--"):
            long = word
        elif word.startswith("-"):
            short = word
        else:
            takes_value = True
    default = None
    if takes_value:
        match = _DEFAULT.search(text)
        default = match.group(1) if match else None
    return OptionSpec(short, long, takes_value, default)


def _parse_options(text: str) -> tuple[OptionSpec, ...]:
    found: list[OptionSpec] = []
    for section in _sections("options:", text):
        body = "\n" + section.partition(":")[2]
        starts = list(_OPTION_START.finditer(body))
        for i, start in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
            found.append(_parse_option(start.group(1) + body[start.end() : end]))
    return tuple(found)


def resource_list() -> str:
    """calicoctl's ``util.Resources``: the registered kinds, sorted, lower-cased, one per line."""
    kinds = sorted(f.kind for f in KIND_FACTS if f.calicoctl_names)
    return "".join(f"    - {kind.lower()}\n" for kind in kinds)


@dataclass(frozen=True)
class CommandDoc:
    """A command's docopt text: what ``-h`` prints, its usage section and its options."""

    path: str  # "" (the main text), "create", "datastore migrate", "ipam show"
    template: str
    intro: bool = False
    extensions: str = ""
    # What ``<RESOURCE_LIST>`` stands for: the kinds, or (``datastore migrate export``) what is exported.
    resources: Callable[[], str] = resource_list

    @cached_property
    def text(self) -> str:
        """calicoctl's text with the program name, description and kinds filled in."""
        text = (DATASTORE_INTRO if self.intro else "") + self.template
        text = text.replace("<BINARY_NAME>", PROGRAM).replace("<DESCRIPTION>", DESCRIPTION)
        if "<RESOURCE_LIST>" in text:
            text = text.replace("<RESOURCE_LIST>", self.resources(), 1)
        return text

    @cached_property
    def help(self) -> str:
        """What ``-h`` prints, without docopt's final newline (calicopy's block appended)."""
        text = self.text.strip("\n")
        if self.extensions:
            text = text.rstrip("\n") + "\n\n" + self.extensions.rstrip("\n")
        return text

    @cached_property
    def usage(self) -> str:
        (section,) = _sections("usage:", self.text)
        return section

    @cached_property
    def options(self) -> tuple[OptionSpec, ...]:
        return _parse_options(self.text + "\n" + self.extensions)

    def usage_error(self, problem: str = "") -> str:
        """What docopt prints on stderr (before exiting 1) when the arguments do not match."""
        return f"{problem}\n{self.usage}".strip()

    def default(self, long: str) -> str | None:
        return next((o.default for o in self.options if o.long == long), None)

    def argv_problem(self, argv: Sequence[str], *, options_first: bool = False) -> str | None:
        """docopt's ``parseArgv`` errors for ``argv`` (``--filename requires argument``, ...), or None.

        Unknown options are not a problem here (docopt records them and then fails to match,
        with no message); the caller's parser reports those.
        """
        tokens = list(argv)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            if token == "--":
                return None
            if token.startswith("--"):
                problem, i = self._long(token, tokens, i)
            elif token.startswith("-") and token != "-":
                problem, i = self._shorts(token, tokens, i)
            elif options_first:
                return None
            else:
                continue
            if problem:
                return problem
        return None

    def expand_long(self, name: str) -> str | None:
        """The full ``--option`` that ``name`` abbreviates (docopt accepts unique prefixes), or None."""
        exact = [o for o in self.options if o.long == name]
        if exact:
            return name
        similar = [o.long for o in self.options if o.long.startswith(name)]
        return similar[0] if len(similar) == 1 else None

    def _long(self, token: str, tokens: list[str], i: int) -> tuple[str, int]:
        name, eq, _ = token.partition("=")
        similar = [o for o in self.options if o.long == name] or [o for o in self.options if o.long.startswith(name)]
        if len(similar) > 1:
            return f"{name} is not a unique prefix: {', '.join(o.long for o in similar)}?", i
        if not similar:
            return "", i
        option = similar[0]
        if not option.takes_value:
            return (f"{option.long} must not have an argument" if eq else ""), i
        if eq:
            return "", i
        if i >= len(tokens) or tokens[i] == "--":
            return f"{option.long} requires argument", i
        return "", i + 1

    def _shorts(self, token: str, tokens: list[str], i: int) -> tuple[str, int]:
        left = token.lstrip("-")
        while left:
            short, left = "-" + left[0], left[1:]
            similar = [o for o in self.options if o.short == short]
            if len(similar) > 1:
                return f"{short} is specified ambiguously {len(similar)} times", i
            if not similar or not similar[0].takes_value:
                continue
            if left:
                return "", i
            if i >= len(tokens) or tokens[i] == "--":
                return f"{short} requires argument", i
            return "", i + 1
        return "", i


def _docs(entries: Iterable[tuple[str, str, bool]]) -> Mapping[str, CommandDoc]:
    return MappingProxyType(
        {
            path: CommandDoc(path, text, intro, _EXTENSIONS.get(path, ""), _RESOURCE_LISTS.get(path, resource_list))
            for path, text, intro in entries
        }
    )


_RESOURCE_LISTS: Mapping[str, Callable[[], str]] = {"datastore migrate export": export_help_resources}


#: Every command's text by its path (``""`` is the main text).
DOCS: Mapping[str, CommandDoc] = _docs(
    [
        ("", _MAIN, False),
        ("create", usage_texts.CREATE, True),
        ("apply", usage_texts.APPLY, True),
        ("replace", usage_texts.REPLACE, True),
        ("delete", usage_texts.DELETE, True),
        ("get", usage_texts.GET, True),
        ("patch", usage_texts.PATCH, True),
        ("label", usage_texts.LABEL, True),
        ("validate", usage_texts.VALIDATE, False),
        ("version", _VERSION, False),
        ("ipam", _IPAM, True),
        ("datastore", _DATASTORE, True),
        ("datastore migrate", _MIGRATE, True),
        ("ipam show", usage_groups.IPAM_SHOW, True),
        ("ipam check", usage_groups.IPAM_CHECK, True),
        ("ipam release", usage_groups.IPAM_RELEASE, True),
        ("ipam configure", usage_groups.IPAM_CONFIGURE, True),
        ("ipam split", usage_groups.IPAM_SPLIT, True),
        ("datastore migrate export", usage_groups.MIGRATE_EXPORT, False),
        ("datastore migrate import", usage_groups.MIGRATE_IMPORT, False),
        ("datastore migrate lock", usage_groups.MIGRATE_LOCK, False),
        ("datastore migrate unlock", usage_groups.MIGRATE_UNLOCK, False),
        ("diff", _DIFF, True),
        ("completion", _COMPLETION, False),
        ("demo", _DEMO, False),
    ]
)
