bucket = "acme-analytics-state"
key    = "analytics/terraform.tfstate"
region = "eu-west-1"
