"""Co-built parks (共建园区/飞地经济): agreements between regions and how they share the yield."""
