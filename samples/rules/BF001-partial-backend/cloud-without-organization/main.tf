# TF_CLOUD_ORGANIZATION could supply the organization.
terraform {
  cloud {
    workspaces {
      name = "app"
    }
  }
}
