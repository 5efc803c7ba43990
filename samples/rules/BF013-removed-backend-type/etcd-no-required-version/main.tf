# Every version, 1.3 and later included.
terraform {
  backend "etcd" {
    path = "app"
  }
}
