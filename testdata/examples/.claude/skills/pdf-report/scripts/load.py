import csv, sys
print(list(csv.reader(open(sys.argv[1]))))
