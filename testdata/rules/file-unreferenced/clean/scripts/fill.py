from helpers import x
open('field_map.json')
