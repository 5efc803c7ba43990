environment_suffix = "dev"
region             = "us-east-1"
instance_count     = 3
tags = {
  Team = "platform"
}
subnets = ["10.0.1.0/24", "10.0.2.0/24"]
