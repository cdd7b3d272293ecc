# files.rb — reads the embedded tree and data files, writes in /tmp.
require "json"
require "digest"
require "pathname"
lib = RbConfig::CONFIG["rubylibdir"]
puts lib
puts Dir.children(lib).size > 100
%w[json.rb set.rb erb.rb].each do |f|
  puts "#{f} #{Digest::SHA256.hexdigest(File.binread(File.join(lib, f)))[0, 16]}"
end
puts File.read("/src/my_app.rb")
path = "/tmp/ruby-test-#{$$}.json"
File.write(path, JSON.pretty_generate({"files" => "inside", "n" => [1, 2, 3]}))
data = JSON.parse(File.read(path))
puts data["n"].sum, File.size(path)
File.rename(path, path + ".moved")
puts File.exist?(path), File.exist?(path + ".moved")
File.delete(path + ".moved")
puts Pathname.new(lib).join("set.rb").file?
begin
  File.read("/src/missing.rb")
rescue Errno::ENOENT => e
  puts "ENOENT: #{e.class}"
end
