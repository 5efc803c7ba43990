bucket = "acme-app-state"
key    = "live/app/terraform.tfstate"
region = "ap-southeast-2"
