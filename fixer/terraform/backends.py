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
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from fixer.terraform.dialect import FIRST_RELEASE, Dialect, releases
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
    "BACKEND_TYPES",
    "CLOUD_BLOCK",
    "LOCAL_BACKEND",
    "BackendArgument",
    "BackendType",
    "Conversion",
    "Inference",
    "Role",
    "Syntax",
    "ValueType",
    "argument",
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
    ``rejects_empty``: ``""`` is an error, not a placeholder. ``replacement``
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
    rejects_empty: bool = False
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

    @property
    def source(self) -> str:
        """The main source of this row's facts ("" when none is recorded)."""
        return self.sources[0] if self.sources else ""

    @property
    def qualified_name(self) -> str:
        return f"{self.backend}.{self.name}"

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
        return self.lifecycle(dialect).status(releases(dialect, admitted))


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


def _sources(kw: dict[str, object], default: str) -> None:
    source = kw.pop("source", default)
    kw["sources"] = (source,) if isinstance(source, str) else tuple(source)  # type: ignore[arg-type]


def _s3(name: str, type_: ValueType = ValueType.STRING, **kw: object) -> BackendArgument:
    _sources(kw, _TF_S3)
    return BackendArgument("s3", name, type_, **kw)  # type: ignore[arg-type]


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
            "Terraform 1.10 removed them, OpenTofu only deprecates them."
        ),
        source=(_TF_ROLE_REMOVED, _TF_ASSUME_ROLE, _TOFU_S3),
    )


def _endpoint_arg(name: str, service: str, env: tuple[str, ...]) -> BackendArgument:
    return _s3(
        name,
        env_vars=env,
        terraform=_TF_1_6_DEPRECATED,
        opentofu=_TOFU_DEPRECATED,
        replacement=f"endpoints.{service}",
        note=f"Replaced by endpoints = {{ {service} = ... }} in 1.6.",
        source=(_TF_1_6, _TOFU_S3),
    )


def _skip(name: str, terraform: Lifecycle = ALWAYS, source: str = _TF_S3) -> BackendArgument:
    return _s3(name, ValueType.BOOL, terraform=terraform, source=source)


# Comment mode's suggestion for a state path: one state object per module.
_STATE_PATH = "{module_path}/terraform.tfstate"

# Where an s3 backend's missing region may come from in the module's own code.
_AWS_REGION = (
    Inference(provider="aws", argument="region"),
    Inference(variables=("region", "aws_region")),
)

_ASSUME_ROLE_ATTRIBUTES = (
    _s3("role_arn", required=True),
    _s3("duration"),
    _s3("external_id"),
    _s3("policy"),
    _s3("policy_arns", ValueType.SET),
    _s3("session_name"),
    _s3("source_identity"),
    _s3("tags", ValueType.MAP),
    _s3("transitive_tag_keys", ValueType.SET),
)

_ENDPOINT_ATTRIBUTES = tuple(_s3(service) for service in ("dynamodb", "iam", "s3", "sso", "sts"))

_S3_ARGUMENTS = (
    _s3(
        "bucket",
        required=True,
        prompts=True,
        rejects_empty=True,
        note="Name of the S3 bucket holding the state.",
    ),
    _s3(
        "key",
        required=True,
        prompts=True,
        rejects_empty=True,
        roles=frozenset({Role.STATE_KEY}),
        suggested=_STATE_PATH,
        note="Path of the state object in the bucket; must not start or end with '/'.",
    ),
    _s3(
        "region",
        required=True,
        env_vars=("AWS_REGION", "AWS_DEFAULT_REGION"),
        inferred_from=_AWS_REGION,
        note=(
            "Optional in the schema, so Terraform never prompts for it, but init fails "
            "with 'Missing region value' unless it or AWS_REGION/AWS_DEFAULT_REGION is set."
        ),
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
        note="KMS key ARN for encrypting the state object.",
    ),
    _s3("workspace_key_prefix", note="Prefix for non-default workspaces; defaults to 'env:'."),
    _s3("acl", note="Canned ACL applied to the state object."),
    _s3(
        "assume_role",
        ValueType.OBJECT,
        syntax=Syntax.OBJECT,
        terraform=_TF_1_6_ADDED,
        attributes=_ASSUME_ROLE_ATTRIBUTES,
        note="An object attribute, assume_role = { role_arn = ... }, not a nested block.",
        source=_TF_ASSUME_ROLE,
    ),
    _s3(
        "assume_role_with_web_identity",
        ValueType.OBJECT,
        syntax=Syntax.OBJECT,
        terraform=_TF_1_6_ADDED,
        note="An object attribute, not a nested block.",
        source=_TF_1_6,
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
        note="An object attribute, endpoints = { s3 = ... }, not a nested block.",
        source=_TF_1_6,
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
        note="SSE-C key (base64, 44 characters); conflicts with kms_key_id.",
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
    _s3("retry_mode", env_vars=("AWS_RETRY_MODE",), terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("sts_region", terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("allowed_account_ids", ValueType.SET, terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("forbidden_account_ids", ValueType.SET, terraform=_TF_1_6_ADDED, source=_TF_1_6),
    _s3("custom_ca_bundle", env_vars=("AWS_CA_BUNDLE",), terraform=_TF_1_6_ADDED),
    _s3("insecure", ValueType.BOOL, terraform=_TF_1_6_ADDED),
    _s3("use_fips_endpoint", ValueType.BOOL, env_vars=("AWS_USE_FIPS_ENDPOINT",)),
    _s3("use_dualstack_endpoint", ValueType.BOOL, env_vars=("AWS_USE_DUALSTACK_ENDPOINT",)),
    _s3(
        "use_legacy_workflow",
        ValueType.BOOL,
        terraform=Lifecycle(added=_v("1.6.0"), deprecated=_v("1.7.0")),
        opentofu=Lifecycle(removed=_v("1.8.0")),
        note=(
            "Temporary switch back to the pre-1.6 credential order. The Terraform "
            "removal version is not recorded here because it was not verified."
        ),
        source=_TOFU_1_8,
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
)


def _arg(
    backend: str, name: str, type_: ValueType = ValueType.STRING, **kw: object
) -> BackendArgument:
    _sources(kw, _TF_DOCS + backend)
    return BackendArgument(backend, name, type_, **kw)  # type: ignore[arg-type]


def _required(backend: str, name: str, **kw: object) -> BackendArgument:
    """A schema-required argument: init prompts for it, and fails without input."""
    return _arg(backend, name, required=True, prompts=True, rejects_empty=True, **kw)


# Observed with Terraform 1.11.4 offline (`backend "<type>" {}`, init -input=false):
# these backends validate their own settings and fail ("required field is not
# set", "address argument is required") instead of prompting.
_NO_PROMPT_OBSERVED = "terraform 1.11.4, init -input=false on an empty block, no network"


def _needed(backend: str, name: str, **kw: object) -> BackendArgument:
    """Required, but checked by the backend itself: init fails without it, never prompts."""
    note = str(kw.pop("note", ""))
    note = f"{note} Not prompted for ({_NO_PROMPT_OBSERVED}).".strip()
    return _arg(backend, name, required=True, prompts=False, rejects_empty=True, note=note, **kw)


_OTHER_ARGUMENTS = (
    # gcs
    _required("gcs", "bucket", note="Name of the Cloud Storage bucket."),
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
    # azurerm
    _needed("azurerm", "storage_account_name"),
    _needed("azurerm", "container_name"),
    _needed(
        "azurerm",
        "key",
        roles=frozenset({Role.STATE_KEY}),
        suggested=_STATE_PATH,
        note="Name of the state blob.",
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
    # consul
    _required("consul", "path", note="KV path of the state."),
    _arg("consul", "address", env_vars=("CONSUL_HTTP_ADDR",)),
    _arg("consul", "scheme"),
    _arg("consul", "datacenter"),
    _arg("consul", "access_token", env_vars=("CONSUL_HTTP_TOKEN",), credential=True),
    _arg("consul", "http_auth", env_vars=("CONSUL_HTTP_AUTH",), credential=True),
    # pg
    _arg(
        "pg",
        "conn_str",
        # Not required in practice: without it init dials a local server
        # (127.0.0.1:5432), observed with Terraform 1.11.4.
        env_vars=("PG_CONN_STR",),
        credential=True,
        note=(
            "postgres:// URL, often with a password in it. PG_CONN_STR can supply it "
            "since Terraform 1.5; libpq variables (PGUSER, PGPASSWORD...) fill in parts."
        ),
        source="https://github.com/hashicorp/terraform/pull/33045",
    ),
    _arg("pg", "schema_name", env_vars=("PG_SCHEMA_NAME",)),
    # kubernetes
    _required(
        "kubernetes", "secret_suffix", note="Suffix of the tfstate-<workspace>-<suffix> secret."
    ),
    _arg("kubernetes", "namespace", env_vars=("KUBE_NAMESPACE",)),
    _arg("kubernetes", "config_path", env_vars=("KUBE_CONFIG_PATH",)),
    _arg("kubernetes", "in_cluster_config", ValueType.BOOL, env_vars=("KUBE_IN_CLUSTER_CONFIG",)),
    _arg("kubernetes", "token", env_vars=("KUBE_TOKEN",), credential=True),
    _arg("kubernetes", "password", env_vars=("KUBE_PASSWORD",), credential=True),
    _arg("kubernetes", "client_key", env_vars=("KUBE_CLIENT_KEY_DATA",), credential=True),
    # http
    _needed("http", "address", env_vars=("TF_HTTP_ADDRESS",), note="REST endpoint of the state."),
    _arg("http", "lock_address", env_vars=("TF_HTTP_LOCK_ADDRESS",)),
    _arg("http", "unlock_address", env_vars=("TF_HTTP_UNLOCK_ADDRESS",)),
    _arg("http", "username", env_vars=("TF_HTTP_USERNAME",)),
    _arg("http", "password", env_vars=("TF_HTTP_PASSWORD",), credential=True),
    # oss
    _needed("oss", "bucket"),
    _arg("oss", "prefix"),
    _arg("oss", "key", note="Defaults to terraform.tfstate."),
    _arg("oss", "region", env_vars=("ALICLOUD_REGION", "ALICLOUD_DEFAULT_REGION")),
    _arg("oss", "tablestore_table", note="TableStore table for state locking."),
    _arg("oss", "encrypt", ValueType.BOOL),
    _arg("oss", "access_key", env_vars=("ALICLOUD_ACCESS_KEY",), credential=True),
    _arg("oss", "secret_key", env_vars=("ALICLOUD_SECRET_KEY",), credential=True),
    _arg("oss", "security_token", env_vars=("ALICLOUD_SECURITY_TOKEN",), credential=True),
    # cos
    _needed("cos", "bucket"),
    _arg("cos", "prefix"),
    _arg("cos", "key", note="Defaults to terraform.tfstate."),
    _needed("cos", "region", env_vars=("TENCENTCLOUD_REGION",)),
    _arg("cos", "encrypt", ValueType.BOOL),
    _arg("cos", "secret_id", env_vars=("TENCENTCLOUD_SECRET_ID",), credential=True),
    _arg("cos", "secret_key", env_vars=("TENCENTCLOUD_SECRET_KEY",), credential=True),
    _arg("cos", "security_token", env_vars=("TENCENTCLOUD_SECURITY_TOKEN",), credential=True),
    # oci
    _required("oci", "bucket"),
    _required("oci", "namespace", note="Object Storage namespace."),
    _arg("oci", "key", note="Defaults to terraform.tfstate."),
    _arg("oci", "region"),
    _arg("oci", "sse_customer_key", credential=True),
    # remote
    _arg(
        "remote",
        "organization",
        required=True,
        rejects_empty=True,
        note="Checked by the backend, not the schema, so Terraform does not prompt for it.",
    ),
    _arg(
        "remote",
        "workspaces",
        ValueType.OBJECT,
        required=True,
        syntax=Syntax.BLOCK,
        attributes=(
            _arg("remote", "name", roles=frozenset({Role.STATE_KEY})),
            _arg("remote", "prefix"),
        ),
        note="A nested block with exactly one of name or prefix.",
    ),
    _arg("remote", "hostname", note="Defaults to app.terraform.io."),
    _arg("remote", "token", credential=True, note="Prefer terraform login or a credentials file."),
    # the cloud block
    _arg(
        "cloud",
        "organization",
        required=True,
        env_vars=("TF_CLOUD_ORGANIZATION",),
        source="https://developer.hashicorp.com/terraform/cli/cloud/settings",
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
        attributes=(
            _arg("cloud", "name", roles=frozenset({Role.STATE_KEY})),
            _arg("cloud", "tags", ValueType.SET),
            _arg("cloud", "project"),
        ),
        note="A nested block with name, tags or project.",
        source="https://developer.hashicorp.com/terraform/cli/cloud/settings",
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
    _arg("local", "path", note="Defaults to terraform.tfstate."),
    _arg("local", "workspace_dir"),
)

ARGUMENTS: tuple[BackendArgument, ...] = _S3_ARGUMENTS + _OTHER_ARGUMENTS
"""Every known backend argument, grouped by backend type."""


# -- lookups -----------------------------------------------------------------------------


def _index() -> tuple[Mapping[str, BackendType], Mapping[str, Mapping[str, BackendArgument]]]:
    types = {t.name: t for t in BACKEND_TYPES}
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
        if row.required and row.status(dialect, window).available is not Coverage.NONE
    )


def arguments_with_role(backend: str, role: Role) -> tuple[BackendArgument, ...]:
    """The arguments of ``backend`` that play ``role``, in table order; () when none do."""
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
