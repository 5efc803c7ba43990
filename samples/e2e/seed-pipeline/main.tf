# The seed's CI/CD pipeline, cut down to what Terraform can create without a
# cloud: one terraform_data per stage and a record of the artifact store, all
# named with environment_suffix as the seed's resources were. The seed's
# required_providers block for hashicorp/aws is left out on purpose so that
# init needs no provider download; aws-bucket/ carries it instead.

locals {
  name_prefix = "pipeline-${var.environment_suffix}"
}

resource "terraform_data" "artifact_store" {
  input = {
    name       = "${local.name_prefix}-artifacts"
    encryption = "aws:kms"
  }
}

resource "terraform_data" "stage" {
  for_each = toset(var.pipeline_stages)

  input = {
    name      = "${local.name_prefix}-${each.key}"
    artifacts = terraform_data.artifact_store.output.name
  }
}
