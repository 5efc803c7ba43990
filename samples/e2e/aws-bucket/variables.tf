variable "environment_suffix" {
  type        = string
  description = "Suffix that keeps the names of parallel deployments apart."
  default     = "dev"
}

variable "aws_region" {
  type        = string
  description = "Region of the artifact bucket."
  default     = "us-east-1"
}

variable "aws_endpoint" {
  type        = string
  description = "Custom S3 and STS endpoint, such as a local test service; empty for AWS."
  default     = ""
}
