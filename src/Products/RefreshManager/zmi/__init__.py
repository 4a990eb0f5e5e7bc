"""The ZMI: ``Control_Panel/Products``, each product's Refresh tab, and
how its pages answer people and scripts."""
