terraform {
  # The pipeline passes -backend-config=prod.s3.tfbackend.
  # backend-fixer: ignore[BF001]
  backend "s3" {}
}
