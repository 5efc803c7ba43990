bucket = "acme-prod-state"
key    = "environments/prod/terraform.tfstate"
region = "us-east-1"
