# Terraform 1.3 removed etcd.
terraform {
  backend "etcd" {
    path = "app"
  }
}
