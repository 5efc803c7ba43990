terraform {
  # backend-fixer: ignore[BF003]
  backend "s3" {}
}
