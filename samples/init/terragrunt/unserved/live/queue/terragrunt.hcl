terraform {
  source = "${get_terragrunt_dir()}/../../modules/queue"
}

inputs = {
  name = "orders"
}
