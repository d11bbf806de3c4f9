import helpers
print(helpers.x)
