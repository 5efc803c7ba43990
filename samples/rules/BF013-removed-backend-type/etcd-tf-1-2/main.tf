# Terraform 1.2 still has etcd.
terraform {
  backend "etcd" {
    path = "app"
  }
}
