# Nothing close.
terraform {
  backend "nonsense" {}
}
