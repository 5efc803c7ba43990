locals {
  call      = max(1, 2, 3)
  no_args   = timestamp()
  expansion = min(var.numbers...)
  provider  = provider::aws::arn_parse("arn:aws:s3:::bucket").account_id
  trailing  = concat(["a"], ["b"], )
  multi_line = format(
    "%s-%s",
    var.a,
    var.b,
  )

  index        = var.list[0]
  legacy_index = var.list.0
  attribute    = aws_s3_bucket.state.arn
  chained      = module.network.subnets[0].cidr_block
  full_splat   = aws_instance.web[*].id
  attr_splat   = aws_instance.web.*.id
  splat_index  = aws_instance.web[*].network_interface[0]
  map_key      = var.tags["Name"]
}
