"""The backend table: what Terraform and OpenTofu know about each backend type.

Every fact lives here as data: the backend types (and the ``cloud`` block), their
arguments, which arguments ``init`` cannot do without, which Terraform asks for
interactively, which environment variables can supply them, which are secrets,
and in which Terraform and OpenTofu versions each was added, deprecated or
removed, with the source of the fact. Adding a backend type means adding rows to
:data:`BACKEND_TYPES` and :data:`ARGUMENTS`; the lookup functions below derive
everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from fixer.terraform.dialect import FIRST_RELEASE, Dialect, releases
from fixer.terraform.schema import (
    ArgumentSet,
    Check,
    CheckKind,
    Diagnostic,
    Phase,
    Relation,
    diagnostics_range,
    tf,
    tofu,
)
from fixer.terraform.versions import (
    ALWAYS,
    NEVER,
    Coverage,
    FactStatus,
    Lifecycle,
    Version,
    VersionRange,
)

__all__ = [
    "ARGUMENTS",
    "ARGUMENT_SETS",
    "BACKEND_TYPES",
    "CLOUD_BLOCK",
    "LOCAL_BACKEND",
    "PROBE_SOURCE",
    "BackendArgument",
    "BackendType",
    "Conversion",
    "Inference",
    "Role",
    "Syntax",
    "ValueType",
    "argument",
    "argument_sets",
    "arguments",
    "arguments_with_role",
    "backend_type",
    "backend_types",
    "credential_arguments",
    "deprecated_arguments",
    "inference_providers",
    "inference_variables",
    "inferred_arguments",
    "removed_backend_types",
    "required_arguments",
    "role_argument",
]

PROBE_SOURCE = (
    "probe: terraform init -input=false on generated configurations, Terraform 1.6.6 to "
    "1.15.5 (tests/differential runs it again on every test run)"
)
"""The source of facts verified by running Terraform rather than read in its code or docs."""

CLOUD_BLOCK = "cloud"
"""The keyword of the terraform block's ``cloud`` block, and its row in :data:`BACKEND_TYPES`."""

LOCAL_BACKEND = "local"
"""The backend that keeps the state in a file beside the module: Terraform's default."""


class ValueType(StrEnum):
    """The type of an argument's value, in Terraform's type syntax."""

    STRING = "string"
    BOOL = "bool"
    NUMBER = "number"
    LIST = "list(string)"
    SET = "set(string)"
    MAP = "map(string)"
    OBJECT = "object"


class Syntax(StrEnum):
    """How an argument must be written in the backend block.

    ``object`` arguments are attributes whose value is an object, ``x = { ... }``;
    written as a nested block ``x { ... }`` they fail with "Unsupported block
    type". ``block`` arguments are genuine nested blocks (``workspaces { }``).
    """

    ATTRIBUTE = "attribute"
    OBJECT = "object"
    BLOCK = "block"


class Role(StrEnum):
    """What an argument does for the state, so rules and fixes can ask for it by purpose.

    A rule that judges locking asks for the backend's ``LOCK_FLAG`` and
    ``LOCK_TABLE`` arguments instead of naming them; a backend without such
    rows is simply not judged.
    """

    STATE_KEY = "state-key"  # names the state object; comment mode suggests a path
    LOCK_FLAG = "lock-flag"  # a bool that turns on the backend's own locking
    LOCK_TABLE = "lock-table"  # names an external lock table that must exist first
    ENCRYPT = "encrypt"  # a bool that asks for encryption at rest
    ENCRYPTION_KEY = "encryption-key"  # key material used only when ENCRYPT is true
    PROFILE = "profile"  # a named credentials profile: the alternative to secrets in code


class Conversion(StrEnum):
    """How a deprecated argument's value becomes its replacement's.

    A dotted replacement (``assume_role.role_arn``) moves the value into that
    object attribute; the conversion says what happens to the value itself.
    """

    RENAME = "rename"  # the same value under the new name
    LIST = "list"  # the value becomes the only item of a list
    DURATION = "duration"  # a number of seconds becomes a duration string ("3600s")
    SWITCH = "switch"  # another mechanism turned on (true): a change of behaviour


@dataclass(frozen=True, slots=True)
class Inference:
    """A place in the module's own code that may hold a missing backend value.

    ``provider`` and ``argument``: a literal argument of that provider's blocks
    (or a ``var.NAME`` whose default is literal). ``variables``: input variables
    of these names whose default is a literal string.
    """

    provider: str | None = None
    argument: str | None = None
    variables: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BackendArgument:
    """One argument of one backend type.

    ``required``: ``init`` fails without it (from the block, a ``-backend-config``
    or one of ``env_vars``). ``prompts``: with input allowed, Terraform asks for it
    when it is missing; with ``-input=false`` the run stops instead.
    ``credential``: a secret that, written in the configuration or passed with
    ``-backend-config``, is copied into ``.terraform/`` and plan files.
    ``checks`` are the validations init applies to a value (an empty string
    is one of them where it is an error, not a placeholder); ``missing`` what
    init prints when a required argument is absent, and so in which versions
    it is required (none given: every version). ``map_since`` marks a set
    argument that also takes a map of strings from that version. ``replacement``
    names the argument to use instead once it is deprecated (dotted for nested
    attributes, e.g. ``assume_role.role_arn``) and ``conversion`` how its value
    moves there. ``roles`` say what the argument does for the state;
    ``inferred_from`` where a missing value may be read from the module's code;
    ``suggested`` a template comment mode proposes when nothing supplies it
    (``{module_path}`` is substituted). ``attributes`` are the known attributes
    of an object or nested-block argument.
    """

    backend: str
    name: str
    type: ValueType = ValueType.STRING
    required: bool = False
    prompts: bool = False
    env_vars: tuple[str, ...] = ()
    credential: bool = False
    syntax: Syntax = Syntax.ATTRIBUTE
    checks: tuple[Check, ...] = ()
    missing: tuple[Diagnostic, ...] = ()
    map_since: Version | None = None
    terraform: Lifecycle = ALWAYS
    opentofu: Lifecycle = ALWAYS
    replacement: str | None = None
    conversion: Conversion = Conversion.RENAME
    roles: frozenset[Role] = frozenset()
    inferred_from: tuple[Inference, ...] = ()
    suggested: str | None = None
    attributes: tuple[BackendArgument, ...] = ()
    note: str = ""
    sources: tuple[str, ...] = ()

    def __hash__(self) -> int:
        # Rows key the memoised status lookups that rules make for every argument of
        # every module; hashing every field (nested attributes, checks) cost more
        # than the lookups saved. Equal rows still hash alike.
        return hash((self.backend, self.name))

    @property
    def source(self) -> str:
        """The main source of this row's facts ("" when none is recorded)."""
        return self.sources[0] if self.sources else ""

    @property
    def qualified_name(self) -> str:
        return f"{self.backend}.{self.name}"

    @property
    def rejects_empty(self) -> bool:
        """True when some version rejects ``""`` for this argument (a check says so)."""
        return any(c.kind in (CheckKind.NOT_EMPTY, CheckKind.NOT_BLANK) for c in self.checks)

    def required_in(self, dialect: Dialect) -> VersionRange:
        """The versions of ``dialect`` in which init fails without this argument."""
        if not self.required:
            return VersionRange.nothing()
        if not self.missing:
            return VersionRange.everything()
        return diagnostics_range(self.missing, dialect)

    def lifecycle(self, dialect: Dialect) -> Lifecycle:
        return self.terraform if dialect is Dialect.TERRAFORM else self.opentofu

    def status(self, dialect: Dialect, admitted: VersionRange) -> FactStatus:
        """This argument judged against the versions of ``dialect`` a module admits.

        ``admitted`` is cut to the dialect's real releases first (no OpenTofu
        before 1.6), so an open-ended ``>= 1.0`` does not make every argument
        that came with OpenTofu 1.6 look too new.
        """
        return _argument_status(self, dialect, admitted)

    def generally_available(self, dialect: Dialect, admitted: VersionRange) -> bool:
        """True when every version of ``dialect`` in ``admitted`` has this argument, past any experiment."""
        lifecycle = self.lifecycle(dialect)
        if not lifecycle.supported:
            return False
        since = lifecycle.stable or lifecycle.added
        return since is None or admitted.requires_at_least(since)

    def attribute(self, name: str) -> BackendArgument | None:
        """The nested attribute ``name`` of an object or block argument, or None."""
        return next((a for a in self.attributes if a.name == name), None)

    @property
    def replacement_head(self) -> str | None:
        """The top-level argument the replacement lives in (``assume_role`` for ``assume_role.role_arn``)."""
        return self.replacement.partition(".")[0] if self.replacement else None

    @property
    def replacement_attribute(self) -> str | None:
        """The attribute inside the replacement object, or None for a top-level replacement."""
        if self.replacement is None:
            return None
        return self.replacement.partition(".")[2] or None


@dataclass(frozen=True, slots=True)
class BackendType:
    """A backend type (``backend "s3"``) or, with ``is_cloud_block``, the ``cloud`` block.

    ``alias_of`` names the backend type an old alias stood for. The required
    arguments are not stored here but derived from :data:`ARGUMENTS` by
    :func:`required_arguments`, so each fact has one home.
    """

    name: str
    doc_url: str
    terraform: Lifecycle = ALWAYS
    opentofu: Lifecycle = ALWAYS
    alias_of: str | None = None
    is_cloud_block: bool = False
    note: str = ""
    source: str = ""

    def __hash__(self) -> int:
        # As BackendArgument's: it keys a memoised status; equal types hash alike.
        return hash(self.name)

    def lifecycle(self, dialect: Dialect) -> Lifecycle:
        return self.terraform if dialect is Dialect.TERRAFORM else self.opentofu

    def removed_in(self, dialect: Dialect) -> Version | None:
        """The first version of ``dialect`` without this type, or None if it still has it.

        For a type the dialect never had this is its first release.
        """
        lifecycle = self.lifecycle(dialect)
        if not lifecycle.supported:
            return FIRST_RELEASE[dialect]
        return lifecycle.removed

    def status(self, dialect: Dialect, admitted: VersionRange) -> FactStatus:
        return _type_status(self, dialect, admitted)


@lru_cache(maxsize=1024)
def _type_status(row: BackendType, dialect: Dialect, admitted: VersionRange) -> FactStatus:
    # Memoised as _argument_status is: every schema rule asks it of every module.
    return row.lifecycle(dialect).status(releases(dialect, admitted))


def _v(text: str) -> Version:
    return Version(text)


# -- sources -----------------------------------------------------------------------

_TF_DOCS = "https://developer.hashicorp.com/terraform/language/backend/"
_TOFU_DOCS = "https://opentofu.org/docs/language/settings/backends/"
_TF_S3 = _TF_DOCS + "s3"
_TF_1_6 = "https://github.com/hashicorp/terraform/blob/v1.6/CHANGELOG.md"
_TF_ASSUME_ROLE = "https://github.com/hashicorp/terraform/pull/33625"
_TF_ROLE_REMOVED = "https://github.com/hashicorp/terraform/pull/35721"
_TF_SHARED_FILES = "https://github.com/hashicorp/terraform/pull/33723"
_TF_1_10_GUIDE = "https://developer.hashicorp.com/terraform/language/v1.10.x/upgrade-guides"
_TF_1_11 = "https://github.com/hashicorp/terraform/blob/v1.11/CHANGELOG.md"
_TF_1_3_REMOVED = "https://github.com/hashicorp/terraform/pull/31711"
_TOFU_S3 = _TOFU_DOCS + "s3/"
_TOFU_1_10 = "https://github.com/opentofu/opentofu/releases/tag/v1.10.0"
_TOFU_1_11 = "https://github.com/opentofu/opentofu/blob/v1.11/CHANGELOG.md"
_TOFU_PATH_STYLE = "https://github.com/opentofu/opentofu/pull/787"
_TOFU_1_8 = "https://opentofu.org/docs/v1.8/intro/whats-new/"

_TF_1_6_ADDED = Lifecycle(added=_v("1.6.0"))
_TF_1_6_DEPRECATED = Lifecycle(deprecated=_v("1.6.0"))
# OpenTofu 1.6.0 was its first release and already had the 1.6 S3 changes, so
# "added" stays None: every OpenTofu release accepts these arguments.
_TOFU_DEPRECATED = Lifecycle(deprecated=_v("1.6.0"))


# -- backend types -------------------------------------------------------------------

BACKEND_TYPES: tuple[BackendType, ...] = (
    BackendType("local", _TF_DOCS + "local", note="The default: state in terraform.tfstate."),
    BackendType(
        "s3",
        _TF_S3,
        note="Amazon S3, locking with an S3 lock file or (older) a DynamoDB table.",
    ),
    BackendType("gcs", _TF_DOCS + "gcs", note="Google Cloud Storage."),
    BackendType("azurerm", _TF_DOCS + "azurerm", note="Azure Blob Storage."),
    BackendType("consul", _TF_DOCS + "consul", note="Consul KV store."),
    BackendType("pg", _TF_DOCS + "pg", note="PostgreSQL database."),
    BackendType("kubernetes", _TF_DOCS + "kubernetes", note="A Kubernetes secret."),
    BackendType("http", _TF_DOCS + "http", note="Any REST endpoint."),
    BackendType("oss", _TF_DOCS + "oss", note="Alibaba Cloud OSS."),
    BackendType("cos", _TF_DOCS + "cos", note="Tencent Cloud Object Storage."),
    BackendType(
        "oci",
        _TF_DOCS + "oci",
        terraform=Lifecycle(added=_v("1.12.0")),
        opentofu=Lifecycle(added=_v("1.12.0")),
        note=(
            "Oracle Cloud Infrastructure Object Storage. The OpenTofu version is "
            "inferred from its documentation on the main branch, not from a release note."
        ),
        source="https://github.com/hashicorp/terraform/pull/36872",
    ),
    BackendType(
        "inmem",
        "https://github.com/hashicorp/terraform/tree/v1.11.4/internal/backend/remote-state/inmem",
        note="State in memory, for tests; undocumented but still accepted by init (checked with 1.11.4).",
        source="https://github.com/hashicorp/terraform/blob/v1.11.4/internal/backend/init/init.go",
    ),
    BackendType(
        "remote",
        _TF_DOCS + "remote",
        note="HCP Terraform / Terraform Enterprise; the cloud block is preferred since 1.1.",
    ),
    BackendType(
        "cloud",
        "https://developer.hashicorp.com/terraform/cli/cloud/settings",
        terraform=Lifecycle(added=_v("1.1.0")),
        is_cloud_block=True,
        note="Not a backend type: the terraform block's cloud block for HCP Terraform.",
        source="https://github.com/hashicorp/terraform/blob/v1.1/CHANGELOG.md",
    ),
    *(
        BackendType(
            name,
            f"https://developer.hashicorp.com/terraform/language/v1.2.x/settings/backends/{name}",
            terraform=Lifecycle(deprecated=_v("1.2.3"), removed=_v("1.3.0")),
            opentofu=NEVER,
            note="Unmaintained; deprecated in Terraform 1.2.3 and removed in 1.3.0.",
            source=_TF_1_3_REMOVED,
        )
        for name in ("artifactory", "etcd", "etcdv3", "manta", "swift")
    ),
    BackendType(
        "azure",
        "https://developer.hashicorp.com/terraform/language/v1.2.x/settings/backends/azurerm",
        terraform=Lifecycle(removed=_v("1.3.0")),
        opentofu=NEVER,
        alias_of="azurerm",
        note="Old name of azurerm; only the name was removed in 1.3.0.",
        source=_TF_1_3_REMOVED,
    ),
)


# -- arguments -------------------------------------------------------------------------

# Facts marked "probe" were verified by running `terraform init -input=false`
# on generated configurations with Terraform 1.6.6, 1.8.4, 1.9.8, 1.10.5,
# 1.11.4, 1.12.2, 1.13.5, 1.14.9 and 1.15.5 (research/schemas/*.json, case ids
# quoted); Terraform 1.5 and OpenTofu facts are read from their source.
_PROBE = PROBE_SOURCE
_TF_S3_SOURCE = "https://github.com/hashicorp/terraform/blob/v1.11.4/internal/backend/remote-state/s3/backend.go"
_TF_S3_VALIDATE = "https://github.com/hashicorp/terraform/blob/v1.11.4/internal/backend/remote-state/s3/validate.go"
_TOFU_S3_SOURCE = (
    "https://github.com/opentofu/opentofu/blob/main/internal/backend/remote-state/s3/backend.go"
)
_TF_1_5_S3 = (
    "https://github.com/opentofu/opentofu/blob/01cf4cda3ff479fa9345140efece682b0a5cbc6f/"
    "internal/backend/remote-state/s3/backend.go"
)
_SDK_REGION = "https://github.com/hashicorp/aws-sdk-go-base/blob/main/validation/region.go"
_TF_0_13_S3 = "https://github.com/hashicorp/terraform/pull/25134"
_TF_1_3_UPGRADE = "https://developer.hashicorp.com/terraform/language/v1.3.x/upgrade-guides"


def _sources(kw: dict[str, object], default: str) -> None:
    source = kw.pop("source", default)
    kw["sources"] = (source,) if isinstance(source, str) else tuple(source)  # type: ignore[arg-type]


def _s3(name: str, type_: ValueType = ValueType.STRING, **kw: object) -> BackendArgument:
    _sources(kw, _TF_S3)
    return BackendArgument("s3", name, type_, **kw)  # type: ignore[arg-type]


def _check(kind: CheckKind, words: str, *diagnostics: Diagnostic, **kw: object) -> Check:
    """A check; its sources default to the probe (Terraform) and the source files read."""
    kw.setdefault("sources", (_PROBE,))
    return Check(kind, words, tuple(diagnostics), **kw)  # type: ignore[arg-type]


# -- s3 checks, shared by several rows ------------------------------------------------------

_BLANK_S3 = "The value cannot be empty or all whitespace"


def _s3_not_blank(name: str) -> Check:
    """bucket and key: Terraform >= 1.6 rejects blank values; 1.5 and OpenTofu only ""."""
    return _check(
        CheckKind.NOT_BLANK,
        "must not be empty or only whitespace",
        tf(">= 1.6", "Invalid Value", _BLANK_S3),
        valid=("x",),
        invalid=("", "  "),
    )


def _s3_not_empty_legacy(name: str) -> Check:
    return _check(
        CheckKind.NOT_EMPTY,
        "must not be empty",
        tf("< 1.6", f"Invalid {name} value", f'The "{name}" attribute value must not be empty.'),
        tofu("*", f"Invalid {name} value", f'The "{name}" attribute value must not be empty.'),
        valid=("x",),
        invalid=("",),
        sources=(_TF_1_5_S3, _TOFU_S3_SOURCE),
    )


_NO_EDGE_SLASH_DETAIL = 'The value must not start or end with "/"'

_UUID = r"[a-f0-9]{8}-[a-f0-9]{4}-[1-5][a-f0-9]{3}-[ab89][a-f0-9]{3}-[a-f0-9]{12}"


def _url(name: str, absolute: bool = False) -> Check:
    if absolute:
        return _check(
            CheckKind.URL,
            "must be a URL with a scheme and a host",
            tf(
                ">= 1.6",
                "Invalid Value",
                'The value must be a valid URL containing at least a scheme and hostname. Had "{value}"',
            ),
            values=("absolute",),
            valid=("http://127.0.0.1:1",),
            invalid=("127.0.0.1:9000",),
        )
    return _check(
        CheckKind.URL,
        "must parse as a URL (host:port needs a scheme)",
        tf(">= 1.6", "Invalid Value", 'The value "{value}" cannot be parsed as a URL'),
        valid=("http://127.0.0.1:1",),
        invalid=("127.0.0.1:9000",),
    )


def _arn(resource: str, headline: str, what: str) -> tuple[Check, Check]:
    """An ARN (Invalid ARN) whose resource starts with ``resource`` (``headline``)."""
    return (
        _check(
            CheckKind.ARN,
            "must be an ARN",
            tf(">= 1.6", "Invalid ARN", 'The value "{value}" cannot be parsed as an ARN'),
            valid=(f"arn:aws:iam::123456789012:{resource}x",),
            invalid=("not-an-arn",),
        ),
        _check(
            CheckKind.ARN,
            f"must be the ARN of {what} ({resource}...)",
            tf(
                ">= 1.6",
                headline,
                f'Value must be a valid {what[0].upper()}{what[1:]} ARN, got "{{value}}"',
            ),
            tofu(
                "*",
                headline,
                f'Value must be a valid {what[0].upper()}{what[1:]} ARN, got "{{value}}"',
            ),
            values=(resource,),
            valid=(f"arn:aws:iam::123456789012:{resource}x",),
            invalid=("arn:aws:iam::123456789012:user/x",),
        ),
    )


def _s3_attr_not_blank(tofu_too: bool = True) -> Check:
    diagnostics = [tf(">= 1.6", "Invalid Value", _BLANK_S3)]
    if tofu_too:
        diagnostics.append(
            tofu("*", "Invalid Value", "The value cannot be empty or all whitespace")
        )
    return _check(
        CheckKind.NOT_BLANK,
        "must not be empty or only whitespace",
        *diagnostics,
        valid=("x",),
        invalid=("",),
    )


def _length(low: int, high: int, valid: str) -> Check:
    return _check(
        CheckKind.LENGTH,
        f"{low} to {high} characters",
        tf(
            ">= 1.6",
            "Invalid Value Length",
            f"Length must be between {low} and {high}, had {{length}}",
        ),
        low=low,
        high=high,
        valid=(valid,),
        invalid=("x",),
    )


def _charset(pattern: str, allowed: str, valid: str, invalid: str) -> Check:
    return _check(
        CheckKind.PATTERN,
        f"letters, digits and {allowed} only",
        tf(
            ">= 1.6",
            "Invalid Value",
            f"Value can only contain letters, numbers, or the following characters: {allowed}",
        ),
        pattern=pattern,
        valid=(valid,),
        invalid=(invalid,),
    )


_DURATION = _check(
    CheckKind.DURATION,
    "a duration with a unit (15m to 12h)",
    tf(
        ">= 1.6",
        "Invalid Duration",
        'The value "{value}" must be a duration between 15m0s and 12h0m0s',
    ),
    tofu(
        "*", "Invalid Duration", 'The value "{value}" must be a duration between 15m0s and 12h0m0s'
    ),
    low=900,
    high=43200,
    valid=("1h",),
    invalid=("3600", "5m"),
)

_POLICY = (
    _s3_attr_not_blank(),
    _check(
        CheckKind.JSON,
        "a JSON document",
        tf(">= 1.6", "Invalid JSON Document", "The JSON document contains an error"),
        valid=('{"Version":"2012-10-17","Statement":[]}',),
        invalid=("{not json",),
    ),
    _check(
        CheckKind.JSON_OBJECT,
        "a JSON object",
        tf(">= 1.6", "Invalid IAM Policy Document", "Expected a JSON object describing the policy"),
        valid=('{"Version":"2012-10-17","Statement":[]}',),
        invalid=("[1]",),
    ),
)

_ROLE_ARN = (_s3_attr_not_blank(), *_arn("role/", "Invalid IAM Role ARN", "IAM role"))
_POLICY_ARNS = tuple(
    replace(c, each=True) for c in _arn("policy/", "Invalid IAM Policy ARN", "IAM policy")
)
_SESSION_NAME = (
    _length(2, 64, "backend-fixer"),
    _charset(r"^[\w+=,.@-]*$", "=,.@-", "backend-fixer", "has space"),
)

_ASSUME_ROLE_ATTRIBUTES = (
    _s3("role_arn", required=True, checks=_ROLE_ARN),
    _s3("duration", checks=(_DURATION,)),
    _s3(
        "external_id",
        checks=(
            _length(2, 1224, "backend-fixer"),
            _charset(r"^[\w+=,.@:/-]*$", "=,.@:/-", "backend-fixer", "has space"),
        ),
    ),
    _s3("policy", checks=_POLICY),
    _s3("policy_arns", ValueType.SET, checks=_POLICY_ARNS),
    _s3("session_name", checks=_SESSION_NAME),
    _s3("source_identity", checks=_SESSION_NAME),
    _s3("tags", ValueType.MAP),
    _s3("transitive_tag_keys", ValueType.SET),
)

_WEB_TOKEN_LENGTH = _check(
    CheckKind.LENGTH,
    "4 to 20000 characters",
    tf(">= 1.6", "Invalid Value Length", "Length must be between 4 and 20000, had {length}"),
    low=4,
    high=20000,
    valid=("token-value",),
    invalid=("x",),
)

_WEB_IDENTITY_ATTRIBUTES = (
    _s3("role_arn", required=True, checks=_ROLE_ARN),
    _s3("duration", checks=(_DURATION,)),
    _s3("policy", checks=_POLICY),
    _s3("policy_arns", ValueType.SET, checks=_POLICY_ARNS),
    _s3("session_name", checks=_SESSION_NAME),
    _s3("web_identity_token", checks=(_WEB_TOKEN_LENGTH,), credential=True),
    _s3("web_identity_token_file", checks=(_WEB_TOKEN_LENGTH,)),
)

_ENDPOINT_ATTRIBUTES = (
    *(_s3(service, checks=(_url(service),)) for service in ("dynamodb", "iam", "s3", "sts")),
    _s3(
        "sso",
        checks=(_url("sso", absolute=True),),
        terraform=Lifecycle(added=_v("1.6.4")),
    ),
)


def _role_arg(
    name: str,
    nested: str,
    type_: ValueType = ValueType.STRING,
    conversion: Conversion = Conversion.RENAME,
) -> BackendArgument:
    return _s3(
        name,
        type_,
        terraform=Lifecycle(deprecated=_v("1.6.0"), removed=_v("1.10.0")),
        opentofu=_TOFU_DEPRECATED,
        replacement=f"assume_role.{nested}",
        conversion=conversion,
        note=(
            "Top-level assume-role arguments moved into assume_role = { ... } in 1.6; "
            "Terraform 1.10 removed them (probe: Unsupported argument from 1.10.5), "
            "OpenTofu only deprecates them."
        ),
        source=(_TF_ROLE_REMOVED, _TF_ASSUME_ROLE, _TOFU_S3, _PROBE),
    )


def _endpoint_arg(name: str, service: str, env: tuple[str, ...]) -> BackendArgument:
    return _s3(
        name,
        env_vars=env,
        terraform=_TF_1_6_DEPRECATED,
        opentofu=_TOFU_DEPRECATED,
        replacement=f"endpoints.{service}",
        checks=(_url(name),),
        note=f"Replaced by endpoints = {{ {service} = ... }} in 1.6.",
        source=(_TF_1_6, _TOFU_S3),
    )


def _skip(name: str, terraform: Lifecycle = ALWAYS, source: str = _TF_S3) -> BackendArgument:
    return _s3(name, ValueType.BOOL, terraform=terraform, source=source)


def _gone(backend: str, name: str, removed: str, source: str, note: str) -> BackendArgument:
    """An argument no version in scope accepts any more (Unsupported argument)."""
    return BackendArgument(
        backend,
        name,
        terraform=Lifecycle(removed=_v(removed)),
        opentofu=NEVER,
        note=note,
        sources=(source, _PROBE),
    )


# Comment mode's suggestion for a state path: one state object per module.
_STATE_PATH = "{module_path}/terraform.tfstate"

# Where an s3 backend's missing region may come from in the module's own code.
_AWS_REGION = (
    Inference(provider="aws", argument="region"),
    Inference(variables=("region", "aws_region")),
)

_MISSING_REQUIRED = "Missing Required Value"


def _s3_missing(name: str) -> tuple[Diagnostic, ...]:
    return (
        tf(
            "*",
            _MISSING_REQUIRED,
            f'The attribute "{name}" is required by the backend.',
        ),
        tofu("*", f"Invalid {name} value", f'The "{name}" attribute value must not be empty.'),
    )


_S3_ARGUMENTS = (
    _s3(
        "bucket",
        required=True,
        prompts=True,
        missing=_s3_missing("bucket"),
        checks=(_s3_not_blank("bucket"), _s3_not_empty_legacy("bucket")),
        note="Name of the S3 bucket holding the state.",
        source=(_TF_S3, _TF_S3_SOURCE, _PROBE),
    ),
    _s3(
        "key",
        required=True,
        prompts=True,
        missing=_s3_missing("key"),
        checks=(
            _s3_not_blank("key"),
            _s3_not_empty_legacy("key"),
            _check(
                CheckKind.NO_EDGE,
                'must not start or end with "/"',
                tf(">= 1.6", "Invalid Value", _NO_EDGE_SLASH_DETAIL),
                tf(
                    "< 1.6",
                    "Invalid key value",
                    'The "key" attribute value must not start or end with with "/".',
                ),
                tofu(
                    "*",
                    "Invalid key value",
                    'The "key" attribute value must not start or end with with "/".',
                ),
                values=("/",),
                valid=("a/b.tfstate",),
                invalid=("/a.tfstate", "a/"),
            ),
            _check(
                CheckKind.NO_SUBSTRING,
                'must not contain "//"',
                tf(">= 1.6", "Invalid Value", 'Value must not contain "//"'),
                values=("//",),
                valid=("a/b.tfstate",),
                invalid=("a//b.tfstate",),
            ),
        ),
        roles=frozenset({Role.STATE_KEY}),
        suggested=_STATE_PATH,
        note="Path of the state object in the bucket; must not start or end with '/'.",
        source=(_TF_S3, _TF_S3_VALIDATE, _PROBE),
    ),
    _s3(
        "region",
        required=True,
        env_vars=("AWS_REGION", "AWS_DEFAULT_REGION"),
        inferred_from=_AWS_REGION,
        missing=(
            tf(
                "*",
                "Missing region value",
                'The "region" attribute or the "AWS_REGION" or "AWS_DEFAULT_REGION" '
                "environment variables must be set.",
            ),
            tofu(
                "*",
                "Missing region value",
                'The "region" attribute or the "AWS_REGION" or "AWS_DEFAULT_REGION" '
                "environment variables must be set.",
            ),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty: an empty region counts as missing",
                tf(
                    "*",
                    "Missing region value",
                    'The "region" attribute or the "AWS_REGION" or "AWS_DEFAULT_REGION" '
                    "environment variables must be set.",
                ),
                tofu("*", "Missing region value"),
                valid=("us-east-1",),
                invalid=("",),
            ),
            _check(
                CheckKind.REGION,
                "a region the release knows (exact, case-sensitive)",
                tf("*", "Invalid region value", "Invalid AWS Region: {value}", Phase.CONFIGURE),
                tofu("*", "Invalid region value", "Invalid AWS Region: {value}", Phase.CONFIGURE),
                unless=("skip_region_validation",),
                valid=("us-east-1", "eu-central-2"),
                invalid=("US-EAST-1", "us-east-99", "us-east-1 "),
                sources=(_PROBE, _SDK_REGION),
            ),
        ),
        note=(
            "Optional in the schema, so Terraform never prompts for it, but init fails "
            "with 'Missing region value' unless it or AWS_REGION/AWS_DEFAULT_REGION is set."
        ),
        source=(_TF_S3, _TF_S3_SOURCE, _SDK_REGION, _PROBE),
    ),
    _s3(
        "use_lockfile",
        ValueType.BOOL,
        roles=frozenset({Role.LOCK_FLAG}),
        terraform=Lifecycle(added=_v("1.10.0"), stable=_v("1.11.0")),
        opentofu=Lifecycle(added=_v("1.10.0")),
        note="S3-native state locking with a .tflock object; experimental in Terraform 1.10.",
        source=(_TF_1_11, _TF_1_10_GUIDE, _TOFU_1_10),
    ),
    _s3(
        "dynamodb_table",
        terraform=Lifecycle(deprecated=_v("1.11.0")),
        replacement="use_lockfile",
        conversion=Conversion.SWITCH,
        roles=frozenset({Role.LOCK_TABLE}),
        note=(
            "DynamoDB locking; Terraform 1.11 deprecates it in favour of use_lockfile, "
            "OpenTofu keeps it fully supported."
        ),
        source=(_TF_1_11, _TOFU_S3),
    ),
    _s3(
        "encrypt",
        ValueType.BOOL,
        roles=frozenset({Role.ENCRYPT}),
        note="Server-side encryption of the state object.",
    ),
    _s3(
        "kms_key_id",
        roles=frozenset({Role.ENCRYPTION_KEY}),
        checks=(
            _check(
                CheckKind.PATTERN,
                "an ARN of a KMS key (key/<id>) or alias (alias/<name>)",
                tf(
                    ">= 1.6",
                    "Invalid KMS Key ARN",
                    'Value must be a valid KMS Key ARN, got "{value}"',
                ),
                tofu(
                    "*", "Invalid KMS Key ARN", 'Value must be a valid KMS Key ARN, got "{value}"'
                ),
                # Only ARNs are judged here (arn:partition:service:region:account:resource).
                pattern=(
                    r"^(?!arn:[^:]*:[^:]*:[^:]*:[^:]*:)|"
                    rf"^arn:[^:]*:[^:]*:[^:]*:[^:]*:(key/({_UUID}|mrk-[a-f0-9]{{32}})|alias/[a-zA-Z0-9/_-]+)$"
                ),
                valid=(
                    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-a6ef-1234567890ab",
                ),
                invalid=("arn:aws:kms:us-east-1:123456789012:user/x",),
            ),
            _check(
                CheckKind.PATTERN,
                "a key ID (a version 1-5 UUID in lower case), mrk-<32 hex> or alias/<name>",
                tf(
                    ">= 1.6",
                    "Invalid KMS Key ID",
                    'Value must be a valid KMS Key ID, got "{value}"',
                ),
                # Go's regexp is anchored only at its two ends, which the pattern keeps.
                pattern=rf"^arn:[^:]*:[^:]*:[^:]*:[^:]*:|^{_UUID}|mrk-[a-f0-9]{{32}}|alias/[a-zA-Z0-9/_-]+$",
                valid=("1234abcd-12ab-44cd-a6ef-1234567890ab", "alias/terraform"),
                invalid=("1234abcd-12ab-34cd-56ef-1234567890ab", "", "not-a-key"),
            ),
        ),
        note="KMS key ARN for encrypting the state object.",
        source=(_TF_S3, _TF_S3_VALIDATE, _PROBE),
    ),
    _s3(
        "workspace_key_prefix",
        checks=(
            _check(
                CheckKind.NO_EDGE,
                'must not start or end with "/"',
                tf(">= 1.6", "Invalid Value", _NO_EDGE_SLASH_DETAIL),
                tofu(
                    "*",
                    "Invalid workspace_key_prefix value",
                    'The "workspace_key_prefix" attribute value must not start with "/".',
                ),
                values=("/",),
                valid=("env", ""),
                invalid=("/env", "env/"),
            ),
        ),
        note="Prefix for non-default workspaces; defaults to 'env:'.",
    ),
    _s3("acl", note="Canned ACL applied to the state object (not validated at init)."),
    _s3(
        "assume_role",
        ValueType.OBJECT,
        syntax=Syntax.OBJECT,
        terraform=_TF_1_6_ADDED,
        attributes=_ASSUME_ROLE_ATTRIBUTES,
        note="An object attribute, assume_role = { role_arn = ... }, not a nested block.",
        source=(_TF_ASSUME_ROLE, _PROBE),
    ),
    _s3(
        "assume_role_with_web_identity",
        ValueType.OBJECT,
        syntax=Syntax.OBJECT,
        terraform=_TF_1_6_ADDED,
        attributes=_WEB_IDENTITY_ATTRIBUTES,
        note="An object attribute, not a nested block.",
        source=(_TF_1_6, _PROBE),
    ),
    _role_arg("role_arn", "role_arn"),
    _role_arg("session_name", "session_name"),
    _role_arg("external_id", "external_id"),
    _role_arg("assume_role_duration_seconds", "duration", ValueType.NUMBER, Conversion.DURATION),
    _role_arg("assume_role_policy", "policy"),
    _role_arg("assume_role_policy_arns", "policy_arns", ValueType.SET),
    _role_arg("assume_role_tags", "tags", ValueType.MAP),
    _role_arg("assume_role_transitive_tag_keys", "transitive_tag_keys", ValueType.SET),
    _s3(
        "endpoints",
        ValueType.OBJECT,
        syntax=Syntax.OBJECT,
        terraform=_TF_1_6_ADDED,
        attributes=_ENDPOINT_ATTRIBUTES,
        note="An object attribute, endpoints = { s3 = ... }, not a nested block; unknown keys are dropped.",
        source=(_TF_1_6, _PROBE),
    ),
    _endpoint_arg("endpoint", "s3", ("AWS_S3_ENDPOINT",)),
    _endpoint_arg("dynamodb_endpoint", "dynamodb", ("AWS_DYNAMODB_ENDPOINT",)),
    _endpoint_arg("iam_endpoint", "iam", ("AWS_IAM_ENDPOINT",)),
    _endpoint_arg("sts_endpoint", "sts", ("AWS_STS_ENDPOINT",)),
    _s3(
        "force_path_style",
        ValueType.BOOL,
        terraform=_TF_1_6_DEPRECATED,
        opentofu=_TOFU_DEPRECATED,
        replacement="use_path_style",
        note="Renamed use_path_style in 1.6; setting both is an error.",
        source=(_TF_S3, _TOFU_PATH_STYLE),
    ),
    _s3(
        "use_path_style",
        ValueType.BOOL,
        terraform=_TF_1_6_ADDED,
        note="Path-style S3 URLs, needed by many S3-compatible stores.",
        source=_TOFU_PATH_STYLE,
    ),
    _s3(
        "shared_credentials_file",
        terraform=_TF_1_6_DEPRECATED,
        opentofu=_TOFU_DEPRECATED,
        replacement="shared_credentials_files",
        conversion=Conversion.LIST,
        note="Replaced by the list shared_credentials_files in 1.6; setting both is an error.",
        source=_TF_SHARED_FILES,
    ),
    _s3(
        "shared_credentials_files",
        ValueType.LIST,
        env_vars=("AWS_SHARED_CREDENTIALS_FILE",),
        terraform=_TF_1_6_ADDED,
        source=_TF_SHARED_FILES,
    ),
    _s3(
        "shared_config_files",
        ValueType.LIST,
        env_vars=("AWS_CONFIG_FILE",),
        terraform=_TF_1_6_ADDED,
        source=_TF_SHARED_FILES,
    ),
    _s3(
        "profile",
        env_vars=("AWS_PROFILE",),
        roles=frozenset({Role.PROFILE}),
        note="Named profile in the AWS shared files.",
    ),
    _s3(
        "access_key",
        env_vars=("AWS_ACCESS_KEY_ID",),
        credential=True,
        note="Static credentials belong in the environment, never in the configuration.",
    ),
    _s3("secret_key", env_vars=("AWS_SECRET_ACCESS_KEY",), credential=True),
    _s3("token", env_vars=("AWS_SESSION_TOKEN",), credential=True, note="Session/MFA token."),
    _s3(
        "sse_customer_key",
        env_vars=("AWS_SSE_CUSTOMER_KEY",),
        credential=True,
        roles=frozenset({Role.ENCRYPTION_KEY}),
        checks=(
            _check(
                CheckKind.BASE64,
                "44 characters of base64 (a 32-byte key)",
                tf(
                    "*",
                    "Invalid sse_customer_key value",
                    "sse_customer_key must be 44 characters in length",
                    Phase.CONFIGURE,
                ),
                tofu(
                    "*",
                    "Invalid sse_customer_key value",
                    "sse_customer_key must be 44 characters in length",
                    Phase.CONFIGURE,
                ),
                low=44,
                valid=("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",),
                invalid=("c2hvcnQ=",),
            ),
        ),
        note="SSE-C key (base64, 44 characters); conflicts with kms_key_id.",
        source=(_TF_S3, _PROBE),
    ),
    _skip("skip_credentials_validation"),
    _skip("skip_region_validation"),
    _skip("skip_metadata_api_check"),
    _skip("skip_requesting_account_id", Lifecycle(added=_v("1.6.0")), _TF_1_6),
    _skip(
        "skip_s3_checksum",
        Lifecycle(added=_v("1.6.3")),
        "https://github.com/hashicorp/terraform/blob/v1.6/CHANGELOG.md#163-november-1-2023",
    ),
    _s3("max_retries", ValueType.NUMBER),
    _s3(
        "retry_mode",
        env_vars=("AWS_RETRY_MODE",),
        terraform=_TF_1_6_ADDED,
        checks=(
            _check(
                CheckKind.ENUM,
                "standard or adaptive (case-sensitive)",
                tf(">= 1.6", "Invalid Value", "unknown RetryMode, {value}"),
                tofu("*", "Invalid retry mode", 'Valid values are "standard" and "adaptive".'),
                values=("standard", "adaptive"),
                valid=("standard",),
                invalid=("Standard", "legacy"),
            ),
        ),
        source=(_TF_1_6, _PROBE),
    ),
    _s3("sts_region", terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("allowed_account_ids", ValueType.SET, terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("forbidden_account_ids", ValueType.SET, terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("custom_ca_bundle", env_vars=("AWS_CA_BUNDLE",), terraform=_TF_1_6_ADDED),
    _s3("insecure", ValueType.BOOL, terraform=_TF_1_6_ADDED),
    _s3(
        "use_fips_endpoint",
        ValueType.BOOL,
        env_vars=("AWS_USE_FIPS_ENDPOINT",),
        terraform=_TF_1_6_ADDED,
        source=(_TF_1_6, _TF_1_5_S3),
    ),
    _s3(
        "use_dualstack_endpoint",
        ValueType.BOOL,
        env_vars=("AWS_USE_DUALSTACK_ENDPOINT",),
        terraform=_TF_1_6_ADDED,
        source=(_TF_1_6, _TF_1_5_S3),
    ),
    _s3(
        "ec2_metadata_service_endpoint",
        env_vars=("AWS_EC2_METADATA_SERVICE_ENDPOINT",),
        terraform=_TF_1_6_ADDED,
        checks=(_url("ec2_metadata_service_endpoint", absolute=True),),
        source=(_TF_1_6, _PROBE),
    ),
    _s3(
        "ec2_metadata_service_endpoint_mode",
        env_vars=("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",),
        terraform=_TF_1_6_ADDED,
        checks=(
            _check(
                CheckKind.ENUM,
                "IPv4 or IPv6 (exactly)",
                tf(">= 1.6", "Invalid Value", "Value must be one of [IPv4, IPv6]"),
                values=("IPv4", "IPv6"),
                valid=("IPv4",),
                invalid=("ipv4",),
            ),
        ),
        source=(_TF_1_6, _PROBE),
    ),
    _s3("http_proxy", terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("https_proxy", terraform=Lifecycle(added=_v("1.6.4")), source=_TF_1_6),
    _s3("no_proxy", terraform=Lifecycle(added=_v("1.6.4")), source=_TF_1_6),
    _s3(
        "use_legacy_workflow",
        ValueType.BOOL,
        terraform=Lifecycle(added=_v("1.6.0"), deprecated=_v("1.7.0"), removed=_v("1.8.0")),
        opentofu=Lifecycle(deprecated=_v("1.7.0"), removed=_v("1.8.0")),
        note=(
            "Temporary switch back to the pre-1.6 credential order. Probe: accepted by "
            "1.6.6, Unsupported argument from 1.8.4 (1.7 not probed; OpenTofu removed "
            "it in 1.8.0 in the same change)."
        ),
        source=(_TOFU_1_8, _PROBE),
    ),
    _s3(
        "state_tags",
        ValueType.MAP,
        terraform=NEVER,
        opentofu=Lifecycle(added=_v("1.11.0")),
        note="OpenTofu only: tags on the state object.",
        source=_TOFU_1_11,
    ),
    _s3(
        "lock_tags",
        ValueType.MAP,
        terraform=NEVER,
        opentofu=Lifecycle(added=_v("1.11.0")),
        note="OpenTofu only: tags on the lock object.",
        source=_TOFU_1_11,
    ),
    _gone(
        "s3", "lock_table", "0.13.0", _TF_0_13_S3, "Old name of dynamodb_table, removed in 0.13."
    ),
    _gone(
        "s3",
        "skip_get_ec2_platforms",
        "0.13.0",
        _TF_0_13_S3,
        "Removed in 0.13 with the move to the AWS SDK's credential chain.",
    ),
)


def _arg(
    backend: str, name: str, type_: ValueType = ValueType.STRING, **kw: object
) -> BackendArgument:
    _sources(kw, _TF_DOCS + backend)
    return BackendArgument(backend, name, type_, **kw)  # type: ignore[arg-type]


def _required(backend: str, name: str, **kw: object) -> BackendArgument:
    """A schema-required argument: init prompts for it, and fails without input."""
    return _arg(backend, name, required=True, prompts=True, **kw)


def _legacy_missing(
    name: str, constraint: str = "*", tofu_too: bool = True
) -> tuple[Diagnostic, ...]:
    """The bare message of backends on the legacy SDK schema for a missing required argument."""
    found = [tf(constraint, f'"{name}": required field is not set')]
    if tofu_too:
        found.append(tofu("*", f'"{name}": required field is not set'))
    return tuple(found)


# Observed with Terraform 1.11.4 offline (`backend "<type>" {}`, init -input=false):
# these backends validate their own settings and fail ("required field is not
# set", "address argument is required") instead of prompting.
_NO_PROMPT_OBSERVED = "terraform 1.11.4, init -input=false on an empty block, no network"


def _needed(backend: str, name: str, **kw: object) -> BackendArgument:
    """Required, but checked by the backend itself: init fails without it, never prompts."""
    note = str(kw.pop("note", ""))
    note = f"{note} Not prompted for ({_NO_PROMPT_OBSERVED}).".strip()
    return _arg(backend, name, required=True, prompts=False, note=note, **kw)


def _plain(
    backend: str, *names: str, type_: ValueType = ValueType.STRING, **kw: object
) -> tuple[BackendArgument, ...]:
    """Optional arguments init does not validate, all of one type (the probe's enumeration)."""
    kw.setdefault("source", (_TF_DOCS + backend, _PROBE))
    return tuple(_arg(backend, name, type_, **dict(kw)) for name in names)


_AZURE_1_11 = Lifecycle(added=_v("1.11.0"))
_AZURERM_SOURCE = "https://github.com/hashicorp/terraform/blob/v1.11.4/internal/backend/remote-state/azure/backend.go"


def _no_edge(headline: str, detail: str = "", values: tuple[str, ...] = ("/",)) -> Check:
    return _check(
        CheckKind.NO_EDGE,
        'must not start or end with "/"',
        tf("*", headline, detail),
        tofu("*", headline, detail),
        values=values,
        valid=("a/b",),
        invalid=("/a", "a/"),
    )


def _no_prefix(headline: str, values: tuple[str, ...]) -> Check:
    return _check(
        CheckKind.NO_PREFIX,
        f"must not start with {' or '.join(repr(v) for v in values)}",
        tf("*", headline),
        tofu("*", headline),
        values=values,
        valid=("a/b",),
        invalid=tuple(f"{v}a" for v in values),
    )


def _enum(headline: str, values: tuple[str, ...], constraint: str = "*", **kw: object) -> Check:
    return _check(
        CheckKind.ENUM,
        f"one of {', '.join(values)}",
        tf(constraint, headline),
        tofu("*", headline),
        values=values,
        valid=(values[0],),
        invalid=("not-a-value",),
        **kw,
    )


def _scheme(name: str, legacy: str) -> tuple[Check, ...]:
    return (
        _check(
            CheckKind.SCHEME,
            "an http:// or https:// URL",
            tf(">= 1.9", f"{name} must be HTTP or HTTPS", phase=Phase.CONFIGURE),
            tf("< 1.9", f"{legacy} must be HTTP or HTTPS", phase=Phase.CONFIGURE),
            tofu("*", f"{name} must be HTTP or HTTPS", phase=Phase.CONFIGURE),
            values=("http://", "https://"),
            valid=("http://127.0.0.1:1/state",),
            invalid=("ftp://127.0.0.1/state",),
        ),
    )


_OTHER_ARGUMENTS = (
    # gcs
    _required(
        "gcs",
        "bucket",
        missing=(
            tf("< 1.9", '"bucket": required field is not set'),
            # From 1.9 the client is built first: offline the run stops at the
            # network, online the service refuses the nameless bucket.
            tf(">= 1.9", "Failed to get existing workspaces", "no bucket name", Phase.SERVICE),
            tofu("*", '"bucket": required field is not set'),
        ),
        note=(
            "Name of the Cloud Storage bucket. An empty name is not checked before the "
            "network (probe gcs.bucket.empty)."
        ),
        source=(_TF_DOCS + "gcs", _PROBE),
    ),
    _arg("gcs", "prefix", note="Directory of the state files inside the bucket."),
    _arg(
        "gcs",
        "credentials",
        env_vars=("GOOGLE_BACKEND_CREDENTIALS", "GOOGLE_CREDENTIALS"),
        credential=True,
        note="Service account key (path or JSON content).",
    ),
    _arg("gcs", "access_token", env_vars=("GOOGLE_OAUTH_ACCESS_TOKEN",), credential=True),
    _arg("gcs", "encryption_key", env_vars=("GOOGLE_ENCRYPTION_KEY",), credential=True),
    _arg("gcs", "kms_encryption_key", env_vars=("GOOGLE_KMS_ENCRYPTION_KEY",)),
    _arg("gcs", "impersonate_service_account"),
    _arg("gcs", "impersonate_service_account_delegates", ValueType.LIST),
    _arg("gcs", "storage_custom_endpoint"),
    # azurerm
    _needed(
        "azurerm",
        "storage_account_name",
        missing=(
            *_legacy_missing("storage_account_name", "< 1.13"),
            # From 1.13 nothing checks it before the request to "https://.blob...".
            tf(">= 1.13", "Failed to get existing workspaces", "no storage account", Phase.SERVICE),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                # The storage client of Terraform before 1.11 checks it before its first request.
                tf(
                    "< 1.11",
                    "Failed to get existing workspaces",
                    "containers.Client#ListBlobs: Invalid input: `accountName` cannot be an empty string.",
                    Phase.CONFIGURE,
                ),
                valid=("differential",),
                invalid=("",),
            ),
        ),
        source=(_TF_DOCS + "azurerm", _PROBE),
    ),
    _needed(
        "azurerm",
        "container_name",
        missing=_legacy_missing("container_name"),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                # The storage client checks it before its first request.
                tf(
                    ">= 1.11",
                    "Failed to get existing workspaces",
                    "listing blobs: `containerName` cannot be an empty string",
                    Phase.CONFIGURE,
                ),
                tf(
                    "< 1.11",
                    "Failed to get existing workspaces",
                    "containers.Client#ListBlobs: Invalid input",
                    Phase.CONFIGURE,
                ),
                valid=("tfstate",),
                invalid=("",),
            ),
        ),
        note='An empty name fails only when listing blobs ("`containerName` cannot be an empty string").',
    ),
    _needed(
        "azurerm",
        "key",
        roles=frozenset({Role.STATE_KEY}),
        suggested=_STATE_PATH,
        missing=_legacy_missing("key", "< 1.13"),
        note="Name of the state blob; no longer required from Terraform 1.13 (probe azurerm.missing-key).",
        source=(_TF_DOCS + "azurerm", _PROBE),
    ),
    _arg("azurerm", "resource_group_name", note="Needed to look up an access key with Azure AD."),
    _arg("azurerm", "subscription_id", env_vars=("ARM_SUBSCRIPTION_ID",)),
    _arg("azurerm", "tenant_id", env_vars=("ARM_TENANT_ID",)),
    _arg("azurerm", "client_id", env_vars=("ARM_CLIENT_ID",)),
    _arg("azurerm", "access_key", env_vars=("ARM_ACCESS_KEY",), credential=True),
    _arg("azurerm", "sas_token", env_vars=("ARM_SAS_TOKEN",), credential=True),
    _arg("azurerm", "client_secret", env_vars=("ARM_CLIENT_SECRET",), credential=True),
    _arg(
        "azurerm",
        "client_certificate_password",
        env_vars=("ARM_CLIENT_CERTIFICATE_PASSWORD",),
        credential=True,
    ),
    _arg("azurerm", "use_azuread_auth", ValueType.BOOL, env_vars=("ARM_USE_AZUREAD",)),
    _arg("azurerm", "use_oidc", ValueType.BOOL, env_vars=("ARM_USE_OIDC",)),
    _arg("azurerm", "use_msi", ValueType.BOOL, env_vars=("ARM_USE_MSI",)),
    *_plain(
        "azurerm",
        "client_certificate_path",
        "endpoint",
        "metadata_host",
        "msi_endpoint",
        "oidc_request_url",
        "oidc_request_token",
        "oidc_token",
        "oidc_token_file_path",
    ),
    _arg("azurerm", "snapshot", ValueType.BOOL),
    _arg(
        "azurerm",
        "environment",
        checks=(
            _enum(
                'no environment was found with the name "{value}"',
                ("public", "usgovernment", "china"),
                ">= 1.11",
                case_sensitive=False,
            ),
            _check(
                CheckKind.ENUM,
                "public, usgovernment, china or german",
                tf(
                    "< 1.11",
                    'unable to locate metadata for environment "{value}"',
                    phase=Phase.CONFIGURE,
                ),
                values=("public", "usgovernment", "china", "german"),
                case_sensitive=False,
                valid=("public",),
                invalid=("nosuch",),
            ),
        ),
        source=(_TF_DOCS + "azurerm", _PROBE),
    ),
    *_plain(
        "azurerm",
        "client_id_file_path",
        "client_secret_file_path",
        "client_certificate",
        "ado_pipeline_service_connection_id",
        terraform=_AZURE_1_11,
    ),
    *_plain(
        "azurerm",
        "use_cli",
        "use_aks_workload_identity",
        "lookup_blob_endpoint",
        type_=ValueType.BOOL,
        terraform=_AZURE_1_11,
    ),
    _gone(
        "azurerm",
        "use_microsoft_graph",
        "1.3.0",
        _TF_1_3_UPGRADE,
        "Removed with ADAL in Terraform 1.3: Microsoft Graph is always used.",
    ),
    # consul
    _required(
        "consul",
        "path",
        missing=(
            tf("< 1.9", '"path": required field is not set'),
            tf(">= 1.9", "panic: value is null", "Terraform crashes (probe consul.empty)"),
            tofu("*", '"path": required field is not set'),
        ),
        note='KV path of the state; "" is accepted (probe consul.path-empty).',
        source=(_TF_DOCS + "consul", _PROBE),
    ),
    _arg("consul", "address", env_vars=("CONSUL_HTTP_ADDR",)),
    _arg("consul", "scheme"),
    _arg("consul", "datacenter"),
    _arg("consul", "access_token", env_vars=("CONSUL_HTTP_TOKEN",), credential=True),
    _arg("consul", "http_auth", env_vars=("CONSUL_HTTP_AUTH",), credential=True),
    *_plain("consul", "gzip", "lock", type_=ValueType.BOOL),
    *_plain("consul", "ca_file", "cert_file", "key_file"),
    # pg
    _arg(
        "pg",
        "conn_str",
        # Not required in practice: without it init dials a local server
        # (127.0.0.1:5432), observed with Terraform 1.11.4.
        env_vars=("PG_CONN_STR",),
        credential=True,
        checks=(
            _check(
                CheckKind.PATTERN,
                "a postgres:// URL or key=value pairs",
                tf(
                    "*",
                    'missing "=" after "{value}" in connection info string"',
                    phase=Phase.CONFIGURE,
                ),
                tofu(
                    "*",
                    'missing "=" after "{value}" in connection info string"',
                    phase=Phase.CONFIGURE,
                ),
                # lib/pq parses anything but a URL as key=value pairs; a text with
                # no "=" at all is the plainest thing it rejects.
                pattern=r"^(postgres(ql)?://|\s*$)|=",
                valid=("postgres://differential:x@127.0.0.1:1/db?sslmode=disable",),
                invalid=("differential",),
            ),
        ),
        note=(
            "postgres:// URL, often with a password in it. PG_CONN_STR can supply it "
            "since Terraform 1.5; libpq variables (PGUSER, PGPASSWORD...) fill in parts."
        ),
        source="https://github.com/hashicorp/terraform/pull/33045",
    ),
    _arg("pg", "schema_name", env_vars=("PG_SCHEMA_NAME",)),
    *_plain(
        "pg",
        "skip_schema_creation",
        "skip_table_creation",
        "skip_index_creation",
        type_=ValueType.BOOL,
    ),
    # kubernetes
    _required(
        "kubernetes",
        "secret_suffix",
        missing=(
            tf("< 1.10", '"secret_suffix": required field is not set'),
            # From 1.10 the kubeconfig is loaded first: offline the run stops there.
            tf(">= 1.10", "secret_suffix is required", "", Phase.SERVICE),
            tofu("*", '"secret_suffix": required field is not set'),
        ),
        note="Suffix of the tfstate-<workspace>-<suffix> secret.",
        source=(_TF_DOCS + "kubernetes", _PROBE),
    ),
    _arg("kubernetes", "namespace", env_vars=("KUBE_NAMESPACE",)),
    _arg("kubernetes", "config_path", env_vars=("KUBE_CONFIG_PATH",)),
    _arg("kubernetes", "in_cluster_config", ValueType.BOOL, env_vars=("KUBE_IN_CLUSTER_CONFIG",)),
    _arg("kubernetes", "token", env_vars=("KUBE_TOKEN",), credential=True),
    _arg("kubernetes", "password", env_vars=("KUBE_PASSWORD",), credential=True),
    _arg("kubernetes", "client_key", env_vars=("KUBE_CLIENT_KEY_DATA",), credential=True),
    _arg("kubernetes", "labels", ValueType.MAP),
    *_plain("kubernetes", "load_config_file", "insecure", type_=ValueType.BOOL),
    *_plain(
        "kubernetes",
        "host",
        "username",
        "client_certificate",
        "cluster_ca_certificate",
        "config_context",
        "config_context_auth_info",
        "config_context_cluster",
        "proxy_url",
    ),
    _arg("kubernetes", "config_paths", ValueType.LIST),
    _arg(
        "kubernetes",
        "exec",
        ValueType.OBJECT,
        syntax=Syntax.BLOCK,
        attributes=(
            _arg("kubernetes", "api_version", required=True),
            _arg("kubernetes", "command", required=True),
            _arg("kubernetes", "env", ValueType.MAP),
            _arg("kubernetes", "args", ValueType.LIST),
        ),
        checks=(
            _check(
                CheckKind.UNUSABLE,
                "cannot be used: the client library requires an interactive mode the schema cannot set",
                tf(
                    "*",
                    "Failed to initialize kubernetes configuration",
                    "invalid configuration: interactiveMode must be specified to use exec authentication plugin",
                    Phase.CONFIGURE,
                ),
                invalid=({"api_version": "client.authentication.k8s.io/v1", "command": "true"},),
            ),
        ),
        note="A nested block; rejected by client-go in every probed version (probe kubernetes.exec-block).",
        source=(_TF_DOCS + "kubernetes", _PROBE),
    ),
    # http
    _needed(
        "http",
        "address",
        env_vars=("TF_HTTP_ADDRESS",),
        missing=(
            tf("< 1.9", '"address": required field is not set'),
            tf(">= 1.9", "address argument is required", phase=Phase.CONFIGURE),
            tofu("*", "address argument is required", phase=Phase.CONFIGURE),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                'must not be empty ("" counts as missing)',
                tf(">= 1.9", "address argument is required", phase=Phase.CONFIGURE),
                tf("< 1.9", "address must be HTTP or HTTPS", phase=Phase.CONFIGURE),
                tofu("*", "address argument is required", phase=Phase.CONFIGURE),
                valid=("http://127.0.0.1:1/state",),
                invalid=("",),
            ),
            *_scheme("address", "address"),
        ),
        note="REST endpoint of the state.",
        source=(_TF_DOCS + "http", _PROBE),
    ),
    _arg(
        "http",
        "lock_address",
        env_vars=("TF_HTTP_LOCK_ADDRESS",),
        checks=_scheme("lock_address", "lockAddress"),
    ),
    _arg(
        "http",
        "unlock_address",
        env_vars=("TF_HTTP_UNLOCK_ADDRESS",),
        checks=_scheme("unlock_address", "unlockAddress"),
    ),
    _arg("http", "username", env_vars=("TF_HTTP_USERNAME",)),
    _arg("http", "password", env_vars=("TF_HTTP_PASSWORD",), credential=True),
    *_plain("http", "update_method", "lock_method", "unlock_method"),
    _arg("http", "skip_cert_verification", ValueType.BOOL),
    *_plain("http", "retry_max", "retry_wait_min", "retry_wait_max", type_=ValueType.NUMBER),
    *_plain(
        "http", "client_ca_certificate_pem", "client_certificate_pem", "client_private_key_pem"
    ),
    # oss
    _needed("oss", "bucket", missing=_legacy_missing("bucket")),
    _arg(
        "oss",
        "prefix",
        checks=(_no_prefix("workspace_key_prefix must not start with '/' or './'", ("/", "./")),),
    ),
    _arg(
        "oss",
        "key",
        checks=(_no_edge("key can not start and end with '/'"),),
        note="Defaults to terraform.tfstate.",
    ),
    _arg("oss", "region", env_vars=("ALICLOUD_REGION", "ALICLOUD_DEFAULT_REGION")),
    _arg("oss", "tablestore_table", note="TableStore table for state locking."),
    _arg("oss", "encrypt", ValueType.BOOL),
    _arg("oss", "access_key", env_vars=("ALICLOUD_ACCESS_KEY",), credential=True),
    _arg("oss", "secret_key", env_vars=("ALICLOUD_SECRET_KEY",), credential=True),
    _arg("oss", "security_token", env_vars=("ALICLOUD_SECURITY_TOKEN",), credential=True),
    *_plain(
        "oss",
        "ecs_role_name",
        "sts_endpoint",
        "tablestore_endpoint",
        "endpoint",
        "shared_credentials_file",
        "profile",
        "assume_role_role_arn",
        "assume_role_session_name",
        "assume_role_policy",
    ),
    _arg(
        "oss",
        "acl",
        checks=(
            _enum(
                '"acl" must be a valid ACL value , expected private, public-read or public-read-write, got "{value}"',
                ("private", "public-read", "public-read-write"),
            ),
        ),
    ),
    _arg(
        "oss",
        "assume_role_session_expiration",
        ValueType.NUMBER,
        checks=(
            _check(
                CheckKind.NUMBER_RANGE,
                "900 to 3600 seconds",
                tf(
                    "*",
                    "expected assume_role_session_expiration to be in the range (900 - 3600), got {value}",
                ),
                tofu(
                    "*",
                    "expected assume_role_session_expiration to be in the range (900 - 3600), got {value}",
                ),
                low=900,
                high=3600,
                valid=(900,),
                invalid=(100,),
            ),
        ),
    ),
    _arg(
        "oss",
        "assume_role",
        ValueType.OBJECT,
        syntax=Syntax.BLOCK,
        attributes=(
            _arg("oss", "role_arn", required=True),
            _arg("oss", "session_name"),
            _arg("oss", "policy"),
            _arg("oss", "session_expiration", ValueType.NUMBER),
        ),
        note="A nested block (at most one).",
    ),
    # cos
    _needed("cos", "bucket", missing=_legacy_missing("bucket")),
    _arg(
        "cos",
        "prefix",
        checks=(_no_prefix("prefix must not start with '/' or './'", ("/", "./")),),
    ),
    _arg(
        "cos",
        "key",
        checks=(_no_edge("key can not start and end with '/'"),),
        note="Defaults to terraform.tfstate.",
    ),
    _needed(
        "cos",
        "region",
        env_vars=("TENCENTCLOUD_REGION",),
        missing=_legacy_missing("region"),
    ),
    _arg("cos", "encrypt", ValueType.BOOL),
    _arg("cos", "secret_id", env_vars=("TENCENTCLOUD_SECRET_ID",), credential=True),
    _arg("cos", "secret_key", env_vars=("TENCENTCLOUD_SECRET_KEY",), credential=True),
    _arg("cos", "security_token", env_vars=("TENCENTCLOUD_SECURITY_TOKEN",), credential=True),
    _arg(
        "cos",
        "endpoint",
        checks=(
            _check(
                CheckKind.PATTERN,
                "http(s)://cos-internal.<region>.tencentcos.cn",
                tf(
                    "*",
                    "Invalid URL: {value} must be: http(s)://cos-internal.{Region}.tencentcos.cn",
                    phase=Phase.CONFIGURE,
                ),
                pattern=r"^https?://cos-internal\.[a-z0-9-]+\.tencentcos\.cn$",
                valid=("http://cos-internal.ap-guangzhou.tencentcos.cn",),
                invalid=("https://cos.ap-guangzhou.myqcloud.com", "differential"),
            ),
        ),
        source=(_TF_DOCS + "cos", _PROBE),
    ),
    _arg("cos", "domain"),
    _arg("cos", "accelerate", ValueType.BOOL),
    _arg(
        "cos",
        "acl",
        checks=(
            _enum(
                "acl value invalid, expected private or public-read, got {value}",
                ("private", "public-read"),
            ),
        ),
    ),
    *_plain(
        "cos",
        "shared_credentials_dir",
        "profile",
        "cam_role_name",
        terraform=Lifecycle(added=_v("1.10.0")),
    ),
    _arg(
        "cos",
        "assume_role",
        ValueType.OBJECT,
        syntax=Syntax.BLOCK,
        attributes=(
            _arg("cos", "role_arn", required=True),
            _arg("cos", "session_name", required=True),
            _arg(
                "cos",
                "session_duration",
                ValueType.NUMBER,
                checks=(
                    _check(
                        CheckKind.NUMBER_RANGE,
                        "at most 43200 seconds",
                        tf(
                            "*",
                            '"assume_role.0.session_duration" cannot be higher than 43200: {value}',
                        ),
                        tofu(
                            "*",
                            '"assume_role.0.session_duration" cannot be higher than 43200: {value}',
                        ),
                        low=0,
                        high=43200,
                        valid=(3600,),
                        invalid=(50000,),
                    ),
                ),
            ),
            _arg("cos", "policy"),
        ),
        note="A nested block (at most one).",
    ),
    # oci
    _required(
        "oci",
        "bucket",
        missing=(tf("*", _MISSING_REQUIRED, 'The attribute "bucket" is required by the backend.'),),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                tf("*", _MISSING_REQUIRED, 'The attribute "bucket" is required by the backend.'),
                tofu("*", _MISSING_REQUIRED),
                valid=("state",),
                invalid=("",),
            ),
            _check(
                CheckKind.PATTERN,
                "letters, digits, _ and - only",
                tf(
                    "*",
                    "Invalid Value",
                    "The bucket name can only include alphanumeric characters, underscores (_), and hyphens (-).",
                ),
                tofu("*", "Invalid Value"),
                pattern=r"^[a-zA-Z0-9_-]*$",
                valid=("state_1",),
                invalid=("my.bucket",),
            ),
        ),
        source=(_TF_DOCS + "oci", _PROBE),
    ),
    _required(
        "oci",
        "namespace",
        missing=(
            tf("*", _MISSING_REQUIRED, 'The attribute "namespace" is required by the backend.'),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                tf("*", _MISSING_REQUIRED, 'The attribute "namespace" is required by the backend.'),
                tofu("*", _MISSING_REQUIRED),
                valid=("ns",),
                invalid=("",),
            ),
        ),
        note="Object Storage namespace.",
        source=(_TF_DOCS + "oci", _PROBE),
    ),
    _arg(
        "oci",
        "key",
        checks=(
            _no_edge(
                "Invalid Value",
                'The value must not start or end with "/" and also not contain consecutive "/"',
            ),
            _check(
                CheckKind.NO_SUBSTRING,
                'must not contain "//"',
                tf(
                    "*",
                    "Invalid Value",
                    'The value must not start or end with "/" and also not contain consecutive "/"',
                ),
                tofu("*", "Invalid Value"),
                values=("//",),
                valid=("a/b",),
                invalid=("a//b",),
            ),
        ),
        note="Defaults to terraform.tfstate.",
    ),
    _arg(
        "oci",
        "workspace_key_prefix",
        checks=(
            _no_prefix("Invalid Value", ("/",)),
            _check(
                CheckKind.NO_SUBSTRING,
                'must not contain "//"',
                tf(
                    "*",
                    "Invalid Value",
                    'The value must not start  with "/" and also not contain consecutive "/"',
                ),
                tofu("*", "Invalid Value"),
                values=("//",),
                valid=("a/b",),
                invalid=("a//b",),
            ),
        ),
    ),
    _arg(
        "oci",
        "auth",
        checks=(
            _enum(
                "Invalid authentication method",
                (
                    "ApiKey",
                    "InstancePrincipal",
                    "InstancePrincipalWithCerts",
                    "SecurityToken",
                    "ResourcePrincipal",
                ),
                case_sensitive=False,
            ),
        ),
        note="OKEWorkloadIdentity is named in the error text but rejected (probe oci.auth-oke).",
    ),
    _arg("oci", "region"),
    _arg("oci", "sse_customer_key", credential=True),
    _arg("oci", "private_key", credential=True),
    _arg("oci", "private_key_password", credential=True),
    *_plain(
        "oci",
        "tenancy_ocid",
        "user_ocid",
        "fingerprint",
        "private_key_path",
        "config_file_profile",
        "kms_key_id",
        "sse_customer_key_sha256",
        "sse_customer_algorithm",
    ),
    # remote
    _arg(
        "remote",
        "organization",
        required=True,
        prompts=True,
        missing=(
            tf(
                "*",
                "Invalid organization value",
                'The "organization" attribute value must not be empty.',
            ),
            tofu(
                "*",
                "Invalid organization value",
                'The "organization" attribute value must not be empty.',
            ),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                tf(
                    "*",
                    "Invalid organization value",
                    'The "organization" attribute value must not be empty.',
                ),
                tofu(
                    "*",
                    "Invalid organization value",
                    'The "organization" attribute value must not be empty.',
                ),
                valid=("acme",),
                invalid=("",),
            ),
        ),
        note="TF_CLOUD_ORGANIZATION does not apply to the remote backend (probe remote.org-env).",
        source=(_TF_DOCS + "remote", _PROBE),
    ),
    _arg(
        "remote",
        "workspaces",
        ValueType.OBJECT,
        required=True,
        syntax=Syntax.BLOCK,
        missing=(
            tf(
                "*",
                "Invalid workspaces configuration",
                'Either workspace "name" or "prefix" is required.',
            ),
            tofu(
                "*",
                "Invalid workspaces configuration",
                'Either workspace "name" or "prefix" is required.',
            ),
        ),
        attributes=(
            _arg("remote", "name", roles=frozenset({Role.STATE_KEY})),
            _arg("remote", "prefix"),
        ),
        note="A nested block with exactly one of name or prefix.",
        source=(_TF_DOCS + "remote", _PROBE),
    ),
    _arg("remote", "hostname", note="Defaults to app.terraform.io."),
    _arg("remote", "token", credential=True, note="Prefer terraform login or a credentials file."),
    # the cloud block
    _arg(
        "cloud",
        "organization",
        required=True,
        env_vars=("TF_CLOUD_ORGANIZATION",),
        missing=(
            tf(
                "*",
                "Invalid or missing required argument",
                '"organization" must be set in the cloud configuration or as an environment variable: TF_CLOUD_ORGANIZATION.',
                Phase.CONFIGURE,
            ),
        ),
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                'must not be empty ("" counts as missing)',
                tf("*", "Invalid or missing required argument", phase=Phase.CONFIGURE),
                valid=("acme",),
                invalid=("",),
            ),
        ),
        source=("https://developer.hashicorp.com/terraform/cli/cloud/settings", _PROBE),
    ),
    _arg(
        "cloud",
        "workspaces",
        ValueType.OBJECT,
        # Init stops with "Invalid workspaces configuration: Missing workspace mapping
        # strategy" without it (checked offline with 1.11.4), unless TF_WORKSPACE is set.
        required=True,
        syntax=Syntax.BLOCK,
        env_vars=("TF_WORKSPACE",),
        missing=(
            tf(
                "*",
                "Invalid workspaces configuration",
                'Missing workspace mapping strategy. Either workspace "tags" or "name" is required.',
                Phase.CONFIGURE,
            ),
        ),
        attributes=(
            _arg("cloud", "name", roles=frozenset({Role.STATE_KEY})),
            _arg("cloud", "tags", ValueType.SET, map_since=_v("1.10.0")),
            _arg("cloud", "project"),
        ),
        note="A nested block with name, tags or project.",
        source=("https://developer.hashicorp.com/terraform/cli/cloud/settings", _PROBE),
    ),
    _arg(
        "cloud",
        "hostname",
        env_vars=("TF_CLOUD_HOSTNAME",),
        source="https://developer.hashicorp.com/terraform/cli/cloud/settings",
    ),
    _arg(
        "cloud",
        "token",
        credential=True,
        source="https://developer.hashicorp.com/terraform/cli/cloud/settings",
    ),
    # local
    _arg(
        "local",
        "path",
        checks=(
            _check(
                CheckKind.NOT_EMPTY,
                "must not be empty",
                tf(
                    "*",
                    "Invalid local state file path",
                    'The "path" attribute value must not be empty.',
                ),
                tofu(
                    "*",
                    "Invalid local state file path",
                    'The "path" attribute value must not be empty.',
                ),
                valid=("terraform.tfstate",),
                invalid=("",),
            ),
        ),
        note="Defaults to terraform.tfstate.",
        source=(_TF_DOCS + "local", _PROBE),
    ),
    _arg("local", "workspace_dir"),
    # inmem
    _arg("inmem", "lock_id", source=_PROBE),
)

ARGUMENTS: tuple[BackendArgument, ...] = _S3_ARGUMENTS + _OTHER_ARGUMENTS
"""Every known backend argument, grouped by backend type."""


# -- rules over several arguments -------------------------------------------------------------

_COMBINATION = "Invalid Attribute Combination"


def _only_one(
    backend: str, first: str, second: str, *diagnostics: Diagnostic, **kw: object
) -> ArgumentSet:
    if not diagnostics:
        detail = f"Only one of {first}, {second} can be set."
        diagnostics = (tf(">= 1.6", _COMBINATION, detail), tofu("*", _COMBINATION, detail))
    kw.setdefault("sources", (_PROBE,))
    return ArgumentSet(backend, Relation.CONFLICT, (first, second), tuple(diagnostics), **kw)  # type: ignore[arg-type]


_ROLE_FAMILY = (
    "role_arn",
    "session_name",
    "external_id",
    "assume_role_duration_seconds",
    "assume_role_policy",
    "assume_role_policy_arns",
    "assume_role_tags",
    "assume_role_transitive_tag_keys",
)

ARGUMENT_SETS: tuple[ArgumentSet, ...] = (
    _only_one(
        "s3",
        "kms_key_id",
        "sse_customer_key",
        tf(">= 1.6", _COMBINATION, "Only one of kms_key_id, sse_customer_key can be set."),
        tofu(
            "*",
            "Invalid encryption configuration",
            'Only one of "kms_key_id" and "sse_customer_key" can be set.',
        ),
    ),
    _only_one("s3", "force_path_style", "use_path_style"),
    _only_one("s3", "shared_credentials_file", "shared_credentials_files"),
    _only_one("s3", "allowed_account_ids", "forbidden_account_ids"),
    *(
        _only_one(
            "s3",
            old,
            f"endpoints.{service}",
            tf(
                ">= 1.6",
                "Conflicting Parameters",
                f'The parameters "{old}" and "endpoints.{service}" cannot be configured together.',
            ),
            tofu("*", _COMBINATION, f"Only one of endpoints.{service}, {old} can be set."),
        )
        for old, service in (
            ("endpoint", "s3"),
            ("iam_endpoint", "iam"),
            ("sts_endpoint", "sts"),
            ("dynamodb_endpoint", "dynamodb"),
        )
    ),
    *(
        _only_one(
            "s3",
            old,
            "assume_role",
            tf(
                ">= 1.6, < 1.10",
                "Conflicting Parameters",
                'The following deprecated parameters conflict with the parameter "assume_role".',
            ),
            tofu(
                "*",
                "Conflicting Parameters",
                'The following deprecated parameters conflict with the parameter "assume_role".',
            ),
        )
        for old in _ROLE_FAMILY
    ),
    _only_one(
        "s3",
        "allowed_account_ids",
        "skip_requesting_account_id",
        tf("*", "Invalid account ID", "AWS account ID not allowed: ", Phase.CONFIGURE),
        true_only=frozenset({"skip_requesting_account_id"}),
        note="Without requesting the account ID there is nothing to compare the list with.",
    ),
    ArgumentSet(
        "s3",
        Relation.AT_LEAST_ONE,
        (
            "assume_role_with_web_identity.web_identity_token",
            "assume_role_with_web_identity.web_identity_token_file",
        ),
        (
            tf(
                ">= 1.6",
                _MISSING_REQUIRED,
                "Exactly one of web_identity_token, web_identity_token_file must be set.",
            ),
        ),
        sources=(_PROBE,),
    ),
    _only_one(
        "s3",
        "assume_role_with_web_identity.web_identity_token",
        "assume_role_with_web_identity.web_identity_token_file",
        tf(
            ">= 1.6",
            _COMBINATION,
            "Only one of web_identity_token, web_identity_token_file can be set.",
        ),
    ),
    _only_one(
        "gcs",
        "encryption_key",
        "kms_encryption_key",
        tf("< 1.9", '"encryption_key": conflicts with kms_encryption_key'),
        tf(">= 1.9", "can't set both encryption_key and kms_encryption_key"),
        tofu("*", "can't set both encryption_key and kms_encryption_key"),
    ),
    ArgumentSet(
        "azurerm",
        Relation.AT_LEAST_ONE,
        ("access_key", "sas_token", "use_azuread_auth", "resource_group_name"),
        (
            tf(
                ">= 1.11",
                "One of `access_key`, `sas_token`, `use_azuread_auth` and `resource_group_name` must be specifieid",
                phase=Phase.CONFIGURE,
            ),
        ),
        true_only=frozenset({"use_azuread_auth"}),
        env_vars=("ARM_ACCESS_KEY", "ARM_SAS_TOKEN", "ARM_USE_AZUREAD"),
        note="Before 1.11 such a configuration tries the Azure CLI and fails in the environment.",
        sources=(_AZURERM_SOURCE, _PROBE),
    ),
    ArgumentSet(
        "consul",
        Relation.TOGETHER,
        ("cert_file", "key_file"),
        (tf("*", "both client cert and client key must be provided", phase=Phase.CONFIGURE),),
        sources=(_PROBE,),
    ),
    ArgumentSet(
        "http",
        Relation.TOGETHER,
        ("client_certificate_pem", "client_private_key_pem"),
        (
            tf(
                "*",
                "client_certificate_pem is set but client_private_key_pem is not",
                "(or the other way round)",
                phase=Phase.CONFIGURE,
            ),
        ),
        sources=(_PROBE,),
    ),
    ArgumentSet(
        "oci",
        Relation.REQUIRES,
        ("sse_customer_key", "sse_customer_key_sha256"),
        (
            tf(
                ">= 1.12",
                _COMBINATION,
                "sse_customer_key and its SHA both required.",
            ),
        ),
        sources=(_PROBE,),
    ),
    ArgumentSet(
        "remote",
        Relation.EXACTLY_ONE,
        ("workspaces.name", "workspaces.prefix"),
        (
            tf(
                "*",
                "Invalid workspaces configuration",
                'Exactly one of workspace "name" or "prefix" is required.',
            ),
            tofu(
                "*",
                "Invalid workspaces configuration",
                'Exactly one of workspace "name" or "prefix" is required.',
            ),
        ),
        empty_is_unset=True,
        sources=(_PROBE,),
    ),
    _only_one(
        "cloud",
        "workspaces.name",
        "workspaces.tags",
        tf(
            "*",
            "Invalid workspaces configuration",
            'Only one of workspace "tags" or "name" is allowed.',
        ),
    ),
    ArgumentSet(
        "cloud",
        Relation.AT_LEAST_ONE,
        ("workspaces.name", "workspaces.tags"),
        (
            tf(
                "*",
                "Invalid workspaces configuration",
                'Missing workspace mapping strategy. Either workspace "tags" or "name" is required.',
                Phase.CONFIGURE,
            ),
        ),
        empty_is_unset=True,
        env_vars=("TF_WORKSPACE",),
        sources=(_PROBE,),
    ),
)
"""Rules over several arguments: conflicts, exactly one of, at least one of, required together."""


# -- lookups -----------------------------------------------------------------------------


def _index() -> tuple[Mapping[str, BackendType], Mapping[str, Mapping[str, BackendArgument]]]:
    types = {t.name: t for t in BACKEND_TYPES}
    for rule in ARGUMENT_SETS:
        if rule.backend not in types:
            raise ValueError(f"argument set {rule.names} names unknown backend {rule.backend!r}")
    by_backend: dict[str, dict[str, BackendArgument]] = {}
    for row in ARGUMENTS:
        if row.backend not in types:
            raise ValueError(f"argument {row.name!r} names unknown backend {row.backend!r}")
        names = by_backend.setdefault(row.backend, {})
        if row.name in names:
            raise ValueError(f"duplicate row for {row.backend}.{row.name}")
        names[row.name] = row
    frozen = {k: MappingProxyType(v) for k, v in by_backend.items()}
    return MappingProxyType(types), MappingProxyType(frozen)


_TYPES, _ARGS = _index()


def _canonical(backend: str) -> str:
    found = _TYPES.get(backend)
    return found.alias_of if found is not None and found.alias_of else backend


def backend_types() -> tuple[BackendType, ...]:
    """Every known backend type, the cloud block and the removed types included."""
    return BACKEND_TYPES


def backend_type(name: str) -> BackendType | None:
    """The backend type called ``name`` (``"cloud"`` for the cloud block), or None."""
    return _TYPES.get(name)


def arguments(backend: str) -> tuple[BackendArgument, ...]:
    """The known arguments of ``backend`` (an alias resolves to its target); () if unknown."""
    return tuple(_ARGS.get(_canonical(backend), {}).values())


def argument(backend: str, name: str) -> BackendArgument | None:
    """The row for ``backend``'s argument ``name``, or None when the table lacks it.

    None does not prove the argument invalid: the table lists the arguments this
    tool reasons about, not every one Terraform accepts.
    """
    return _ARGS.get(_canonical(backend), {}).get(name)


@lru_cache(maxsize=4096)
def _argument_status(row: BackendArgument, dialect: Dialect, admitted: VersionRange) -> FactStatus:
    # Memoised: rules ask this for every argument of every module of a tree,
    # with a handful of distinct ranges. A status holds no version text, so
    # equal ranges spelled differently may share an entry.
    return row.lifecycle(dialect).status(releases(dialect, admitted))


@lru_cache(maxsize=1024)
def required_arguments(
    backend: str,
    dialect: Dialect = Dialect.TERRAFORM,
    admitted: VersionRange | None = None,
) -> tuple[BackendArgument, ...]:
    """The arguments ``init`` needs for ``backend`` under ``dialect``.

    An argument counts when it is required and some admitted version of the
    dialect accepts both it and the backend type (``admitted`` None: any
    version). Unknown backends have none. Memoised (the rows hold no version
    text of the caller's).
    """
    window = admitted if admitted is not None else VersionRange.everything()
    found = backend_type(backend)
    if found is not None:
        window = window.intersect(found.lifecycle(dialect).available())
    return tuple(
        row
        for row in arguments(backend)
        if row.required
        and row.status(dialect, window.intersect(row.required_in(dialect))).available
        is not Coverage.NONE
    )


def argument_sets(backend: str) -> tuple[ArgumentSet, ...]:
    """The rules over several arguments of ``backend`` (an alias resolves); () when none."""
    return _sets_by_backend().get(_canonical(backend), ())


@lru_cache(maxsize=1)
def _sets_by_backend() -> dict[str, tuple[ArgumentSet, ...]]:
    grouped: dict[str, list[ArgumentSet]] = {}
    for rule in ARGUMENT_SETS:
        grouped.setdefault(rule.backend, []).append(rule)
    return {name: tuple(rules) for name, rules in grouped.items()}


@lru_cache(maxsize=1)
def argument_names() -> frozenset[str]:
    """Every top-level argument name some backend type (or the cloud block) has."""
    return frozenset(row.name for row in ARGUMENTS)


@lru_cache(maxsize=1024)
def arguments_with_role(backend: str, role: Role) -> tuple[BackendArgument, ...]:
    """The arguments of ``backend`` that play ``role``, in table order; () when none do.

    Memoised: rules and fixes ask it of every module (the table does not change).
    """
    return tuple(row for row in arguments(backend) if role in row.roles)


def role_argument(backend: str, role: Role) -> BackendArgument | None:
    """The first argument of ``backend`` that plays ``role``, or None."""
    found = arguments_with_role(backend, role)
    return found[0] if found else None


@lru_cache(maxsize=1)
def inferred_arguments() -> tuple[BackendArgument, ...]:
    """Every argument whose missing value may be read from the module's code."""
    return tuple(row for row in ARGUMENTS if row.inferred_from)


@lru_cache(maxsize=1)
def inference_providers() -> frozenset[str]:
    """The provider types whose blocks may hold a backend value (``aws`` for the s3 region)."""
    return frozenset(
        source.provider
        for row in inferred_arguments()
        for source in row.inferred_from
        if source.provider is not None
    )


@lru_cache(maxsize=1)
def inference_variables() -> frozenset[str]:
    """The input variable names whose defaults may hold a backend value."""
    return frozenset(
        name
        for row in inferred_arguments()
        for source in row.inferred_from
        for name in source.variables
    )


def credential_arguments(backend: str) -> tuple[BackendArgument, ...]:
    """The arguments of ``backend`` that hold secrets; () for unknown backends."""
    return tuple(row for row in arguments(backend) if row.credential)


def deprecated_arguments(
    backend: str, dialect: Dialect = Dialect.TERRAFORM
) -> tuple[BackendArgument, ...]:
    """The arguments of ``backend`` that some version of ``dialect`` deprecates or removed."""
    return tuple(
        row
        for row in arguments(backend)
        if row.lifecycle(dialect).deprecated is not None
        or row.lifecycle(dialect).removed is not None
    )


def removed_backend_types(dialect: Dialect = Dialect.TERRAFORM) -> tuple[BackendType, ...]:
    """The backend types that current versions of ``dialect`` no longer accept."""
    return tuple(t for t in BACKEND_TYPES if t.removed_in(dialect) is not None)
