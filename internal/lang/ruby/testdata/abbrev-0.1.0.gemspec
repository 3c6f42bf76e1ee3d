# -*- encoding: utf-8 -*-
# stub: abbrev 0.1.0 ruby lib

Gem::Specification.new do |s|
  s.name = "abbrev".freeze
  s.version = "0.1.0".freeze

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.licenses = ["Ruby".freeze, "BSD-2-Clause".freeze]
end
