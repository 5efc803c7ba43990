bucket = "acme-dev-state"
key    = "environments/dev/terraform.tfstate"
region = "us-east-1"
