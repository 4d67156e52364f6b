"""Parks, the 一区多园 hierarchy, linkages, carriers, resources and indicators."""
