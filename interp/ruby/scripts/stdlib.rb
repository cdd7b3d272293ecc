# stdlib.rb — a spread of the standard library, loaded from the embedded tree.
%w[set erb time date securerandom stringio strscan optparse ostruct shellwords
   tsort forwardable delegate observer singleton benchmark].each do |lib|
  require lib
end
puts Set.new([3, 1, 2, 3]).to_a.sort.inspect
puts ERB.new("<%= 6 * 7 %>").result
puts Date.new(2024, 1, 2).strftime("%A %d %B %Y")
puts StringScanner.new("hello world").scan(/\w+/)
puts Shellwords.split("a 'b c' d").inspect
puts [1, 2, 3].each_slice(2).map(&:sum).inspect
