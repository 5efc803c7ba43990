variable "environment_suffix" {
  type        = string
  description = "Suffix that keeps the names of parallel deployments apart."
  default     = "dev"
}

variable "pipeline_stages" {
  type        = list(string)
  description = "Stages of the delivery pipeline, in order."
  default     = ["source", "build", "test", "deploy"]
}
