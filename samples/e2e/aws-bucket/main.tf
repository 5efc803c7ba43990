resource "aws_s3_bucket" "artifacts" {
  bucket        = "pipeline-artifacts-${var.environment_suffix}"
  force_destroy = true

  tags = {
    Environment = var.environment_suffix
  }
}

output "artifacts_bucket" {
  description = "Name of the artifact bucket."
  value       = aws_s3_bucket.artifacts.bucket
}
