variable "aws_region" {
  description = "AWS region for the pipeline resources."
  type        = string
  default     = "us-east-1"
}

variable "environment_suffix" {
  description = "Suffix appended to resource names."
  type        = string
  default     = "dev"
}
