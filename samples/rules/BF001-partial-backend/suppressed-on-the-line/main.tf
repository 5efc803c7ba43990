terraform {
  backend "s3" {} # backend-fixer: ignore[partial-backend]
}
