# backend.tf loads before main.tf.
terraform {
  backend "local" {}
}
