# A vendored pure-Ruby gem: the app puts its lib/ on $LOAD_PATH.
module Greeter
  def self.hello(name)
    "Hello, #{name}, from a vendored gem"
  end
end
