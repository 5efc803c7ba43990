output "artifact_store_name" {
  description = "Name of the pipeline's artifact store."
  value       = terraform_data.artifact_store.output.name
}

output "stage_names" {
  description = "Names of the pipeline stages, by stage."
  value       = { for stage, data in terraform_data.stage : stage => data.output.name }
}
