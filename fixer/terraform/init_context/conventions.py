"""What wrappers and CI tasks pass to init by themselves: facts kept as data.

``gitlab-terraform`` (GitLab's Terraform helper, and ``gitlab-tofu`` after it)
configures the ``http`` backend for GitLab-managed state before it runs init:
older releases passed ``-backend-config`` for the eight arguments below,
later ones export the matching ``TF_HTTP_*`` variables with the same values
(GitLab docs, "GitLab Terraform helpers"; the terraform-images project's
``gitlab-terraform.sh``). The address is built from ``CI_API_V4_URL``,
``CI_PROJECT_ID`` and ``TF_STATE_NAME``, so it is known to be there but not
visible; the methods and the retry wait are literal.

The Azure DevOps Terraform task (``TerraformTaskV1``..``V5``, task.json of
microsoft/azure-pipelines-terraform) turns its backend inputs into
``-backend-config`` values for ``command: init``; the AWS bucket's region comes
from the service connection ("The region of this bucket ... must be specified
in the AWS service connection").
"""

from __future__ import annotations

from fixer.terraform.init_context.model import SuppliedValue

__all__ = [
    "AZURE_TASK_INPUTS",
    "AZURE_TASK_SERVICE_VALUES",
    "GITLAB_WRAPPERS",
    "gitlab_state_values",
]

GITLAB_WRAPPERS = frozenset({"gitlab-terraform", "gitlab-tofu"})

_GITLAB_STATE: tuple[tuple[str, str | None], ...] = (
    ("address", None),
    ("lock_address", None),
    ("unlock_address", None),
    ("username", None),
    ("password", None),
    ("lock_method", "POST"),
    ("unlock_method", "DELETE"),
    ("retry_wait_min", "5"),
)


def gitlab_state_values(program: str) -> tuple[SuppliedValue, ...]:
    """The http backend values ``program`` (gitlab-terraform or gitlab-tofu) supplies."""
    origin = f"{program} (GitLab-managed state)"
    return tuple(SuppliedValue(name, value, origin) for name, value in _GITLAB_STATE)


AZURE_TASK_INPUTS: dict[str, dict[str, str]] = {
    "azurerm": {
        "backendAzureRmStorageAccountName": "storage_account_name",
        "backendAzureRmContainerName": "container_name",
        "backendAzureRmKey": "key",
        "backendAzureRmResourceGroupName": "resource_group_name",
    },
    "aws": {
        "backendAWSBucketName": "bucket",
        "backendAWSKey": "key",
    },
    "gcp": {
        "backendGCPBucketName": "bucket",
        "backendGCPPrefix": "prefix",
    },
}
"""Task input -> backend argument, per ``provider`` input of the Terraform task."""

AZURE_TASK_SERVICE_VALUES: dict[str, tuple[str, tuple[str, ...]]] = {
    "azurerm": ("backendServiceArm", ("subscription_id", "tenant_id", "client_id")),
    "aws": ("backendServiceAWS", ("region",)),
    "gcp": ("backendServiceGCP", ("credentials",)),
}
"""Per provider: the service-connection input and the backend arguments the task
takes from that connection (known to be passed, never visible)."""
