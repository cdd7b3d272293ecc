# A Ruby app packed with the prebuilt CRuby: `make ruby-app APP=examples/rbapp`.
# Its gem comes vendored (on $LOAD_PATH), its data from files beside it.
$LOAD_PATH.unshift File.join(__dir__, "vendor/greeter/lib")
require "greeter"
require "json"

data = File.join(__dir__, "data")
cities = JSON.parse(File.read(File.join(data, "cities.json")))
puts Greeter.hello("wasi-vfs")
puts "data files: #{Dir.children(data).sort.join(", ")}"
puts "ruby files: #{Dir.glob("**/*.rb", base: __dir__).sort.join(", ")}"
puts "largest: #{cities.max_by { |c| c["population"] }["name"]}"
puts JSON.generate(cities.map { |c| c["name"] }.sort)
