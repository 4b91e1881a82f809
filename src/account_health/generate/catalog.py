"""The product catalog the dbt models also read, so generated events use the same products and features."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from account_health.paths import PROJECT_DIR

CATALOG_DIR = PROJECT_DIR / "seeds" / "catalog"


@dataclass(frozen=True)
class Product:
    product_id: str
    list_price: float
    is_core: bool


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]
    # product_id -> features in catalog order (key features first within each product)
    features: dict[str, tuple[str, ...]]

    @property
    def core(self) -> Product:
        return next(product for product in self.products if product.is_core)

    @property
    def add_ons(self) -> tuple[Product, ...]:
        return tuple(product for product in self.products if not product.is_core)

    def price(self, product_id: str) -> float:
        return next(product.list_price for product in self.products if product.product_id == product_id)


def load_catalog(catalog_dir: Path = CATALOG_DIR) -> Catalog:
    with (catalog_dir / "products.csv").open(newline="") as handle:
        products = tuple(
            Product(
                product_id=row["product_id"],
                list_price=float(row["list_price_per_seat_usd"]),
                is_core=row["is_core_product"].strip().lower() == "true",
            )
            for row in csv.DictReader(handle)
        )
    features: dict[str, list[tuple[bool, str]]] = {product.product_id: [] for product in products}
    with (catalog_dir / "product_features.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            is_key = row["is_key_feature"].strip().lower() == "true"
            features.setdefault(row["product_id"], []).append((not is_key, row["feature"]))
    # stable sort: key features first, catalog order otherwise; breadth of use grows down this list
    ordered = {
        pid: tuple(name for _, name in sorted(rows, key=lambda r: r[0])) for pid, rows in features.items()
    }
    return Catalog(products=products, features=ordered)
